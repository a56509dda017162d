using System.Buffers;

namespace Ferry.Inference.Tensors;

/// <summary>
/// A named tensor of a request or a result. Fixed-size types keep their elements as little-endian bytes in a
/// buffer rented from <see cref="ArrayPool{T}.Shared"/>; <see cref="DataType.Bytes"/> keeps one byte array per
/// element. The tensor owns its buffer and returns it on <see cref="Dispose"/>.
/// </summary>
public sealed class InferTensor : IDisposable
{
    private byte[]? _buffer;

    private InferTensor(string name, DataType dataType, long[] shape, int elementCount, byte[]? buffer, int byteLength, byte[][]? strings)
    {
        Name = name;
        DataType = dataType;
        Shape = shape;
        ElementCount = elementCount;
        _buffer = buffer;
        ByteLength = byteLength;
        Strings = strings;
    }

    public string Name { get; }

    public DataType DataType { get; }

    public long[] Shape { get; }

    public int ElementCount { get; }

    /// <summary>Bytes of element data for fixed-size types; 0 for <see cref="DataType.Bytes"/>.</summary>
    public int ByteLength { get; }

    /// <summary>The elements of a <see cref="DataType.Bytes"/> tensor; null for fixed-size types.</summary>
    public byte[][]? Strings { get; }

    public Span<byte> Bytes => _buffer is null ? Span<byte>.Empty : _buffer.AsSpan(0, ByteLength);

    public Memory<byte> Memory => _buffer is null ? Memory<byte>.Empty : _buffer.AsMemory(0, ByteLength);

    public string ShapeText => "[" + string.Join(",", Shape) + "]";

    /// <summary>Allocates a zero-filled tensor of a fixed-size type.</summary>
    public static InferTensor Allocate(string name, DataType dataType, long[] shape)
    {
        var tensor = AllocateUninitialized(name, dataType, shape);
        tensor.Bytes.Clear();
        return tensor;
    }

    /// <summary>
    /// Allocates a tensor of a fixed-size type whose bytes are left as the pool had them: the caller must write
    /// every one of them (a copy of a whole body or result), so that nothing of an earlier request shows through.
    /// Saves clearing a buffer that is about to be overwritten (110 KB for a small image).
    /// </summary>
    public static InferTensor AllocateUninitialized(string name, DataType dataType, long[] shape)
    {
        if (dataType == DataType.Bytes)
        {
            throw new ArgumentException("BYTES tensors are built with FromStrings", nameof(dataType));
        }

        var count = Shapes.ElementCount(shape);
        var length = checked(count * dataType.ElementSize());
        // Rent at least one byte so that even an empty tensor has an address to pin.
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        return new InferTensor(name, dataType, shape, count, buffer, length, null);
    }

    public static InferTensor FromStrings(string name, long[] shape, byte[][] elements)
    {
        var count = Shapes.ElementCount(shape);
        if (count != elements.Length)
        {
            throw new ArgumentException($"shape {Shapes.Format(shape)} holds {count} elements, not {elements.Length}", nameof(elements));
        }

        return new InferTensor(name, DataType.Bytes, shape, count, null, 0, elements);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
