using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Ferry.Monitoring.Log;

/// <summary>
/// Rows of one model version and layout waiting for the next flush, held column by column. Nothing per row is an
/// object: request ids are kept as UTF-8 bytes and become strings only while a flush writes them, statuses are the
/// engine's shared strings; only BYTES tensors' elements (and a shape that changes) are strings.
/// </summary>
public sealed class SegmentBuffer
{
    private readonly ColumnBuffer<byte> _idBytes = new();
    private readonly ColumnBuffer<int> _idStarts = new();
    private readonly ColumnBuffer<int> _idEnds = new();
    private readonly ColumnBuffer<string> _idTexts = new();
    private readonly ColumnBuffer<int> _rows = new();
    private readonly ColumnBuffer<long> _timestamps = new();
    private readonly ColumnBuffer<double> _latencies = new();
    private readonly ColumnBuffer<string> _statuses = new();
    private readonly ColumnBuffer<double>[] _numbers;
    private readonly ColumnBuffer<string?>[] _texts;
    private readonly TensorPlan[] _plans;
    private readonly long[]?[] _lastShapes;
    private readonly string[] _lastShapeTexts;
    private readonly int _inputs;
    private readonly int _outputs;
    private readonly byte[][] _names;
    private readonly bool[] _isText;
    private readonly int[] _perRow;
    private string?[] _elements = [];

    /// <summary>A buffer for predictions like <paramref name="first"/>: same model, version, tensor names, kinds and elements per row.</summary>
    public SegmentBuffer(in PredictionCapture first, SegmentLayout layout)
    {
        Model = first.Model;
        Version = first.Version;
        Layout = layout;
        StreamKey = Model + "\n" + Version + "\n" + layout.Key;
        // Each column holds numbers or text, never both: only its own kind of buffer ever grows.
        _numbers = layout.Columns.Select(_ => new ColumnBuffer<double>()).ToArray();
        _texts = layout.Columns.Select(_ => new ColumnBuffer<string?>()).ToArray();
        _plans = TensorPlan.Of(layout);
        _lastShapes = new long[]?[_plans.Length];
        _lastShapeTexts = new string[_plans.Length];
        _inputs = first.InputCount;
        _outputs = first.OutputCount;
        var count = _inputs + _outputs;
        _names = new byte[count][];
        _isText = new bool[count];
        _perRow = new int[count];
        var rows = first.Rows;
        for (var i = 0; i < count; i++)
        {
            var t = CaptureLayout.Tensor(first.Buffer, i);
            _names[i] = t.Name.ToArray();
            _isText[i] = t.DataType == DataType.Bytes;
            _perRow[i] = CaptureLayout.PerRow(t.Shape, rows);
        }
    }

    public string Model { get; }

    public string Version { get; }

    public SegmentLayout Layout { get; }

    /// <summary>Model, version and layout: buffers with the same key append to the same open segment.</summary>
    public string StreamKey { get; }

    /// <summary>Flushes since this buffer last received a row: the writer drops buffers idle for a while.</summary>
    public int IdleFlushes { get; set; }

    public int Count => _rows.Count;

    public long MinTimestamp { get; private set; } = long.MaxValue;

    public long MaxTimestamp { get; private set; } = long.MinValue;

    /// <summary>Whether <paramref name="p"/> has this buffer's layout; compares in place, without allocating.</summary>
    public bool Matches(in PredictionCapture p, int rows)
    {
        if (!ReferenceEquals(p.Model, Model) && p.Model != Model)
        {
            return false;
        }

        if ((!ReferenceEquals(p.Version, Version) && p.Version != Version) || p.InputCount != _inputs || p.OutputCount != _outputs)
        {
            return false;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            var t = CaptureLayout.Tensor(p.Buffer, i);
            if ((t.DataType == DataType.Bytes) != _isText[i] || CaptureLayout.PerRow(t.Shape, rows) != _perRow[i] || !t.Name.SequenceEqual(_names[i]))
            {
                return false;
            }
        }

        return true;
    }

    // Optimised from its first call: called a few times a second, it stays in slow tiers for long (see Drain).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(in PredictionCapture p, int rows)
    {
        var ms = p.TimestampMs;
        MinTimestamp = Math.Min(MinTimestamp, ms);
        MaxTimestamp = Math.Max(MaxTimestamp, ms);
        var start = _idBytes.Count;
        var end = start + p.WriteRequestId(_idBytes.Reserve(p.RequestIdMaxBytes));
        _idBytes.Commit(end - start);
        for (var r = 0; r < rows; r++)
        {
            _idStarts.Add(start);
            _idEnds.Add(end);
            _rows.Add(r);
            _timestamps.Add(ms);
            _latencies.Add(p.LatencyMs);
            _statuses.Add(p.Status);
        }

        // Tensor by tensor, reading each one's elements in order: the writer's cost per value stays a few ns.
        for (var i = 0; i < _plans.Length; i++)
        {
            var plan = _plans[i];
            var tensor = p.Tensor(plan.IsOutput, plan.Tensor);
            if (plan.ShapeOnly)
            {
                var shape = ShapeText(i, tensor.Shape);
                for (var r = 0; r < rows; r++)
                {
                    _texts[plan.First].Add(shape);
                }
            }
            else if (plan.IsText)
            {
                var elements = Decode(tensor.Data);
                for (var j = 0; j < plan.Width; j++)
                {
                    for (var r = 0; r < rows; r++)
                    {
                        var index = (r * plan.Width) + j;
                        _texts[plan.First + j].Add(index < elements ? _elements[index] : null);
                    }
                }

                Array.Clear(_elements, 0, elements);
            }
            else
            {
                AppendNumbers(tensor, plan, rows);
            }
        }
    }

    /// <summary>
    /// The request ids as strings, made now (a flush writes them at once, so they never outlive it); rows of one
    /// request share one string.
    /// </summary>
    // Optimised from its first call: called a few times a second, it stays in slow tiers for long (see Drain).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ArraySegment<string> RequestIdTexts()
    {
        _idTexts.Clear(release: false);
        var bytes = _idBytes.Memory.Span;
        var starts = _idStarts.Memory.Span;
        var ends = _idEnds.Memory.Span;
        string? last = null;
        for (var i = 0; i < starts.Length; i++)
        {
            if (last is null || starts[i] != starts[i - 1] || ends[i] != ends[i - 1])
            {
                last = Encoding.UTF8.GetString(bytes[starts[i]..ends[i]]);
            }

            _idTexts.Add(last);
        }

        return _idTexts.Segment;
    }

    internal ReadOnlyMemory<int> Rows => _rows.Memory;

    internal ReadOnlyMemory<long> Timestamps => _timestamps.Memory;

    internal ReadOnlyMemory<double> Latencies => _latencies.Memory;

    internal ArraySegment<string> Statuses => _statuses.Segment;

    internal ReadOnlyMemory<double> Numbers(int column) => _numbers[column].Memory;

    internal ArraySegment<string?> Texts(int column) => _texts[column].Segment;

    /// <summary>
    /// Empties the buffer after a flush. Its arrays stay for the next flush of the same stream of predictions; with
    /// <paramref name="release"/> (the buffer is being dropped) they go back to the pool.
    /// </summary>
    public void Clear(bool release)
    {
        _idBytes.Clear(release);
        _idStarts.Clear(release);
        _idEnds.Clear(release);
        _idTexts.Clear(release);
        _rows.Clear(release);
        _timestamps.Clear(release);
        _latencies.Clear(release);
        _statuses.Clear(release);
        foreach (var column in _numbers)
        {
            column.Clear(release);
        }

        foreach (var column in _texts)
        {
            column.Clear(release);
        }

        MinTimestamp = long.MaxValue;
        MaxTimestamp = long.MinValue;
    }

    private string ShapeText(int plan, ReadOnlySpan<long> shape)
    {
        if (_lastShapes[plan] is not { } last || !shape.SequenceEqual(last))
        {
            _lastShapes[plan] = shape.ToArray();
            _lastShapeTexts[plan] = "[" + string.Join(",", _lastShapes[plan]!) + "]";
        }

        return _lastShapeTexts[plan];
    }

    /// <summary>Decodes a BYTES tensor's elements into <see cref="_elements"/>; returns how many.</summary>
    private int Decode(ReadOnlySpan<byte> data)
    {
        var count = 0;
        for (var at = 0; at < data.Length; count++)
        {
            var length = MemoryMarshal.Read<int>(data[at..]);
            if (count == _elements.Length)
            {
                Array.Resize(ref _elements, Math.Max(16, count * 2));
            }

            _elements[count] = Encoding.UTF8.GetString(data.Slice(at + 4, length));
            at += 4 + length;
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendNumbers(CapturedTensorView tensor, TensorPlan plan, int rows)
    {
        var width = plan.Width;
        var data = tensor.Data;
        switch (tensor.DataType)
        {
            case DataType.Fp32:
                var floats = MemoryMarshal.Cast<byte, float>(data);
                for (var j = 0; j < width; j++)
                {
                    var list = _numbers[plan.First + j];
                    for (var r = 0; r < rows; r++)
                    {
                        list.Add(floats[(r * width) + j]);
                    }
                }

                break;
            case DataType.Fp64:
                var doubles = MemoryMarshal.Cast<byte, double>(data);
                for (var j = 0; j < width; j++)
                {
                    var list = _numbers[plan.First + j];
                    for (var r = 0; r < rows; r++)
                    {
                        list.Add(doubles[(r * width) + j]);
                    }
                }

                break;
            default:
                for (var j = 0; j < width; j++)
                {
                    var list = _numbers[plan.First + j];
                    for (var r = 0; r < rows; r++)
                    {
                        list.Add(TensorValues.Read(tensor.DataType, data, (r * width) + j));
                    }
                }

                break;
        }
    }
}
