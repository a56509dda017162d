using System.Runtime.InteropServices;
using System.Text;
using Ferry.Inference.Tensors;

namespace Ferry.Monitoring.Log;

/// <summary>
/// The bytes of a <see cref="PredictionCapture"/>'s buffer: every tensor of a request in one pooled array, so that
/// capturing a request allocates nothing. Written by the tap (or <see cref="PredictionChannel.TryWrite"/>), read in
/// place by the writer.
/// </summary>
/// <remarks>
/// Layout, native (little-endian) order: int32 inputs, int32 outputs, one int32 offset per tensor, padded to 8; then
/// per tensor, at an 8-aligned offset: int32 data type, int32 rank, int32 name length, int32 data length (-1 when
/// only the shape is kept), int64 shape[rank], the UTF-8 name padded to 8, the data. Fixed-size data is the tensor's
/// little-endian elements (8-aligned, so it can be read as floats or doubles in place); BYTES data is each element
/// as an int32 length and its bytes. A tensor with more than <see cref="PredictionLogOptions.MaxElementsPerRow"/>
/// elements per row is logged by shape only (see <see cref="SegmentLayout"/>), so its data is not copied at all.
/// </remarks>
public static class CaptureLayout
{
    private const int TensorHeader = 16;

    /// <summary>Rows of a request: the batch dimension of its first input when the model batches, else 1.</summary>
    public static int RowsOf(bool batched, ReadOnlySpan<long> firstInputShape) =>
        batched && firstInputShape.Length > 0 ? (int)Math.Max(firstInputShape[0], 0) : 1;

    /// <summary>Elements of one row of a tensor of <paramref name="shape"/>, or -1 when it does not split into the rows.</summary>
    public static int PerRow(ReadOnlySpan<long> shape, int rows)
    {
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        return rows > 0 && count % rows == 0 ? (int)(count / rows) : -1;
    }

    /// <summary>Copies a request's tensors into a buffer rented from <paramref name="channel"/>; the caller owns it.</summary>
    public static byte[] Encode(PredictionChannel channel, IReadOnlyList<InferTensor> inputs, IReadOnlyList<InferTensor> outputs, bool batched, out int length)
    {
        var rows = RowsOf(batched, inputs.Count > 0 ? inputs[0].Shape : default);
        var max = channel.MaxElementsPerRow;
        var count = inputs.Count + outputs.Count;
        length = HeaderSize(count);
        for (var i = 0; i < count; i++)
        {
            var t = i < inputs.Count ? inputs[i] : outputs[i - inputs.Count];
            length += TensorSize(t.Name, t.Shape.Length, DataLength(t, rows, max));
        }

        var buffer = channel.Rent(length);
        WriteCounts(buffer, inputs.Count, outputs.Count);
        var position = HeaderSize(count);
        for (var i = 0; i < count; i++)
        {
            var t = i < inputs.Count ? inputs[i] : outputs[i - inputs.Count];
            var data = BeginTensor(buffer, i, ref position, t.Name, t.DataType, t.Shape, DataLength(t, rows, max));
            if (data.IsEmpty)
            {
                continue;
            }

            if (t.DataType != DataType.Bytes)
            {
                t.Bytes.CopyTo(data);
            }
            else if (t.Strings is { } strings)
            {
                var at = 0;
                foreach (var s in strings)
                {
                    MemoryMarshal.Write(data[at..], s.Length);
                    s.CopyTo(data[(at + 4)..]);
                    at += 4 + s.Length;
                }
            }
        }

        return buffer;
    }

    /// <summary>The same as the other overload, from tensors held as plain objects (tests and tools).</summary>
    public static byte[] Encode(PredictionChannel channel, CapturedTensor[] inputs, CapturedTensor[] outputs, bool batched, out int length)
    {
        var ins = ToInferTensors(inputs);
        var outs = ToInferTensors(outputs);
        try
        {
            return Encode(channel, ins, outs, batched, out length);
        }
        finally
        {
            foreach (var t in ins)
            {
                t.Dispose();
            }

            foreach (var t in outs)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Tensor <paramref name="index"/> (inputs first, then outputs) of a buffer written by <c>Encode</c>.</summary>
    public static CapturedTensorView Tensor(byte[] buffer, int index)
    {
        var offset = MemoryMarshal.Read<int>(buffer.AsSpan(8 + (4 * index)));
        var header = buffer.AsSpan(offset);
        var dataType = (DataType)MemoryMarshal.Read<int>(header);
        var rank = MemoryMarshal.Read<int>(header[4..]);
        var nameLength = MemoryMarshal.Read<int>(header[8..]);
        var dataLength = MemoryMarshal.Read<int>(header[12..]);
        var shape = MemoryMarshal.Cast<byte, long>(header.Slice(TensorHeader, 8 * rank));
        var nameAt = TensorHeader + (8 * rank);
        var dataAt = nameAt + Pad(nameLength);
        return new CapturedTensorView(
            dataType,
            shape,
            header.Slice(nameAt, nameLength),
            dataLength > 0 ? header.Slice(dataAt, dataLength) : default,
            dataLength >= 0);
    }

    private static int DataLength(InferTensor t, int rows, int max)
    {
        var perRow = PerRow(t.Shape, rows);
        if (perRow < 0 || perRow > max)
        {
            return -1;
        }

        if (t.DataType != DataType.Bytes)
        {
            return t.ByteLength;
        }

        var length = 0;
        foreach (var s in t.Strings ?? [])
        {
            length += 4 + s.Length;
        }

        return length;
    }

    private static InferTensor[] ToInferTensors(CapturedTensor[] tensors)
    {
        var converted = new InferTensor[tensors.Length];
        for (var i = 0; i < tensors.Length; i++)
        {
            var t = tensors[i];
            if (t.DataType == DataType.Bytes)
            {
                var strings = t.Strings ?? [];
                var elements = new byte[strings.Length][];
                for (var j = 0; j < strings.Length; j++)
                {
                    elements[j] = Encoding.UTF8.GetBytes(strings[j]);
                }

                converted[i] = InferTensor.FromStrings(t.Name, t.Shape, elements);
            }
            else
            {
                converted[i] = InferTensor.AllocateUninitialized(t.Name, t.DataType, t.Shape);
                t.Bytes.CopyTo(converted[i].Bytes);
            }
        }

        return converted;
    }

    private static int HeaderSize(int tensors) => Pad(8 + (4 * tensors));

    private static int TensorSize(string name, int rank, int dataLength) =>
        TensorHeader + (8 * rank) + Pad(Encoding.UTF8.GetByteCount(name)) + Pad(Math.Max(dataLength, 0));

    private static int Pad(int length) => (length + 7) & ~7;

    private static void WriteCounts(byte[] buffer, int inputs, int outputs)
    {
        MemoryMarshal.Write(buffer.AsSpan(), inputs);
        MemoryMarshal.Write(buffer.AsSpan(4), outputs);
    }

    /// <summary>Writes a tensor's header, shape and name at <paramref name="position"/>; returns where its data goes.</summary>
    private static Span<byte> BeginTensor(byte[] buffer, int index, ref int position, string name, DataType dataType, ReadOnlySpan<long> shape, int dataLength)
    {
        MemoryMarshal.Write(buffer.AsSpan(8 + (4 * index)), position);
        var header = buffer.AsSpan(position);
        MemoryMarshal.Write(header, (int)dataType);
        MemoryMarshal.Write(header[4..], shape.Length);
        MemoryMarshal.Write(header[12..], dataLength);
        shape.CopyTo(MemoryMarshal.Cast<byte, long>(header.Slice(TensorHeader, 8 * shape.Length)));
        var nameAt = TensorHeader + (8 * shape.Length);
        var nameLength = Encoding.UTF8.GetBytes(name, header[nameAt..]);
        MemoryMarshal.Write(header[8..], nameLength);
        var dataAt = nameAt + Pad(nameLength);
        position += dataAt + Pad(Math.Max(dataLength, 0));
        return dataLength > 0 ? header.Slice(dataAt, dataLength) : default;
    }
}
