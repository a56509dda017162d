using System.Buffers;

namespace Ferry.Inference.Tensors;

/// <summary>
/// A named tensor of a request or a result. Fixed-size types keep their elements as little-endian bytes in a
/// buffer rented from <see cref="ArrayPool{T}.Shared"/>; <see cref="DataType.Bytes"/> keeps one byte array per
/// element. The tensor owns its buffer and returns it on <see cref="Dispose"/>, unless it is a <see cref="View"/> of
/// someone else's.
/// </summary>
public sealed class InferTensor : IDisposable
{
    private readonly int _offset;
    private readonly bool _owned;
    private byte[]? _buffer;

    private InferTensor(string name, DataType dataType, long[] shape, int elementCount, byte[]? buffer, int byteLength, byte[][]? strings, int offset = 0, bool owned = true)
    {
        Name = name;
        DataType = dataType;
        Shape = shape;
        ElementCount = elementCount;
        _buffer = buffer;
        ByteLength = byteLength;
        Strings = strings;
        _offset = offset;
        _owned = owned;
    }

    public string Name { get; }

    public DataType DataType { get; }

    public long[] Shape { get; }

    public int ElementCount { get; }

    /// <summary>Bytes of element data for fixed-size types; 0 for <see cref="DataType.Bytes"/>.</summary>
    public int ByteLength { get; }

    /// <summary>The elements of a <see cref="DataType.Bytes"/> tensor; null for fixed-size types.</summary>
    public byte[][]? Strings { get; }

    public Span<byte> Bytes => _buffer is null ? Span<byte>.Empty : _buffer.AsSpan(_offset, ByteLength);

    public Memory<byte> Memory => _buffer is null ? Memory<byte>.Empty : _buffer.AsMemory(_offset, ByteLength);

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

    /// <summary>
    /// A tensor of a fixed-size type over elements already in memory (a request body's binary data), not copied.
    /// The owner of <paramref name="buffer"/> keeps it until the tensor is done with; disposing the tensor leaves it.
    /// </summary>
    public static InferTensor View(string name, DataType dataType, long[] shape, byte[] buffer, int offset, int byteLength)
    {
        if (dataType == DataType.Bytes)
        {
            throw new ArgumentException("BYTES tensors are built with FromStrings", nameof(dataType));
        }

        var count = Shapes.ElementCount(shape);
        if ((long)count * dataType.ElementSize() != byteLength)
        {
            throw new ArgumentException($"{byteLength} bytes do not hold {dataType} {Shapes.Format(shape)}", nameof(byteLength));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)offset + byteLength, buffer.Length, nameof(byteLength));
        return new InferTensor(name, dataType, shape, count, buffer, byteLength, null, offset, owned: false);
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
        if (buffer is not null && _owned)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
