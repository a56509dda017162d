using System.Buffers.Binary;
using Ferry.Inference.Tensors;

namespace Ferry.Server.Oip;

/// <summary>The binary tensor data extension's element layouts, shared by REST and gRPC raw contents.</summary>
public static class BinaryTensors
{
    /// <summary>Builds a tensor from raw little-endian bytes; BYTES elements are each prefixed by a 4-byte length.</summary>
    public static InferTensor FromRaw(string name, DataType dataType, long[] shape, ReadOnlySpan<byte> raw)
    {
        var count = Shapes.ElementCount(shape);
        if (dataType == DataType.Bytes)
        {
            return InferTensor.FromStrings(name, shape, SplitStrings(name, count, raw));
        }

        CheckSize(name, dataType, shape, raw.Length);
        var tensor = InferTensor.AllocateUninitialized(name, dataType, shape);
        raw.CopyTo(tensor.Bytes);
        if (dataType == DataType.Bool)
        {
            CheckBools(name, tensor.Bytes);
        }

        return tensor;
    }

    /// <summary>
    /// Builds a tensor over binary data where it lies in <paramref name="buffer"/> (a request body), without copying,
    /// when its elements are aligned there; otherwise (and for BYTES) as <see cref="FromRaw"/> does. The caller keeps
    /// the buffer until the tensor is done with.
    /// </summary>
    public static InferTensor InPlace(string name, DataType dataType, long[] shape, byte[] buffer, int offset, int length)
    {
        var size = dataType == DataType.Bytes ? 0 : dataType.ElementSize();
        // A managed array's elements start 8-byte aligned, so the offset tells the address's alignment up to 8.
        if (size == 0 || offset % Math.Min(size, 8) != 0)
        {
            return FromRaw(name, dataType, shape, buffer.AsSpan(offset, length));
        }

        CheckSize(name, dataType, shape, length);
        var tensor = InferTensor.View(name, dataType, shape, buffer, offset, length);
        if (dataType == DataType.Bool)
        {
            CheckBools(name, tensor.Bytes);
        }

        return tensor;
    }

    /// <summary>The size of a tensor's data in the binary layout.</summary>
    public static int SizeOf(InferTensor tensor)
    {
        if (tensor.DataType != DataType.Bytes)
        {
            return tensor.ByteLength;
        }

        var size = 0;
        foreach (var element in tensor.Strings!)
        {
            size = checked(size + 4 + element.Length);
        }

        return size;
    }

    /// <summary>Writes a tensor's data in the binary layout; <paramref name="destination"/> is <see cref="SizeOf"/> long.</summary>
    public static void Write(InferTensor tensor, Span<byte> destination)
    {
        if (tensor.DataType != DataType.Bytes)
        {
            tensor.Bytes.CopyTo(destination);
            return;
        }

        var offset = 0;
        foreach (var element in tensor.Strings!)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], (uint)element.Length);
            element.CopyTo(destination[(offset + 4)..]);
            offset += 4 + element.Length;
        }
    }

    private static byte[][] SplitStrings(string name, int count, ReadOnlySpan<byte> raw)
    {
        // Every element takes at least its 4-byte length, so a count beyond that is refused before allocating.
        if (count > raw.Length / 4 + 1 && count > 0)
        {
            throw FerryException.Invalid($"input '{name}': {raw.Length} bytes of binary data cannot hold {count} BYTES elements");
        }

        var elements = new byte[count][];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (raw.Length - offset < 4)
            {
                throw FerryException.Invalid($"input '{name}': binary data ends before BYTES element {i} of {count}");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(raw[offset..]);
            offset += 4;
            if (length > (uint)(raw.Length - offset))
            {
                throw FerryException.Invalid($"input '{name}': BYTES element {i} claims {length} bytes, only {raw.Length - offset} remain");
            }

            elements[i] = raw.Slice(offset, (int)length).ToArray();
            offset += (int)length;
        }

        if (offset != raw.Length)
        {
            throw FerryException.Invalid($"input '{name}': {raw.Length - offset} bytes of binary data left over after {count} BYTES elements");
        }

        return elements;
    }

    private static void CheckSize(string name, DataType dataType, long[] shape, int length)
    {
        var expected = (long)Shapes.ElementCount(shape) * dataType.ElementSize();
        if (length != expected)
        {
            throw FerryException.Invalid($"input '{name}': {length} bytes of binary data, but {dataType.ToProtocolName()} {Shapes.Format(shape)} needs {expected}");
        }
    }

    private static void CheckBools(string name, ReadOnlySpan<byte> data)
    {
        if (data.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
        {
            throw FerryException.Invalid($"input '{name}': BOOL element {bad} is {data[bad]}, not 0 or 1");
        }
    }
}
