using System.Buffers;

namespace Ferry.Monitoring.Log;

/// <summary>
/// A growable column of values kept between flushes: cleared, not reallocated, so a steady stream of predictions
/// settles on arrays of the flush's size and stops allocating (large lists would otherwise churn the large-object heap).
/// </summary>
internal sealed class ColumnBuffer<T>
{
    private T[] _items = [];

    public int Count { get; private set; }

    public ReadOnlyMemory<T> Memory => _items.AsMemory(0, Count);

    public ArraySegment<T> Segment => new(_items, 0, Count);

    public void Add(T value)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[Count++] = value;
    }

    /// <summary>Room for up to <paramref name="count"/> more values after the last; <see cref="Commit"/> says how many were written.</summary>
    public Span<T> Reserve(int count)
    {
        while (_items.Length - Count < count)
        {
            Grow();
        }

        return _items.AsSpan(Count, count);
    }

    public void Commit(int count) => Count += count;

    /// <summary>Forgets the values; the array stays for the next flush, unless <paramref name="release"/> gives it back.</summary>
    public void Clear(bool release)
    {
        if (release && _items.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_items, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            _items = [];
        }
        else if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(_items, 0, Count);
        }

        Count = 0;
    }

    private void Grow()
    {
        var bigger = ArrayPool<T>.Shared.Rent(Math.Max(256, _items.Length * 2));
        Array.Copy(_items, bigger, Count);
        if (_items.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_items, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }

        _items = bigger;
    }
}
