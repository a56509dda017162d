using System.Runtime.InteropServices;

namespace Ferry.Monitoring.Log;

/// <summary>Rows of one model version and layout waiting for the next flush, held column by column.</summary>
public sealed class SegmentBuffer
{
    private readonly ColumnBuffer<string> _requestIds = new();
    private readonly ColumnBuffer<int> _rows = new();
    private readonly ColumnBuffer<long> _timestamps = new();
    private readonly ColumnBuffer<double> _latencies = new();
    private readonly ColumnBuffer<string> _statuses = new();
    private readonly ColumnBuffer<double>[] _numbers;
    private readonly ColumnBuffer<string?>[] _texts;
    private readonly TensorPlan[] _plans;

    public SegmentBuffer(string model, string version, SegmentLayout layout)
    {
        Model = model;
        Version = version;
        Layout = layout;
        // Each column holds numbers or text, never both: only its own kind of buffer ever grows.
        _numbers = layout.Columns.Select(_ => new ColumnBuffer<double>()).ToArray();
        _texts = layout.Columns.Select(_ => new ColumnBuffer<string?>()).ToArray();
        _plans = TensorPlan.Of(layout);
    }

    public string Model { get; }

    public string Version { get; }

    public SegmentLayout Layout { get; }

    /// <summary>Flushes since this buffer last received a row: the writer drops buffers idle for a while.</summary>
    public int IdleFlushes { get; set; }

    public int Count => _rows.Count;

    public long MinTimestamp { get; private set; } = long.MaxValue;

    public long MaxTimestamp { get; private set; } = long.MinValue;

    public void Append(CapturedPrediction p, int rows)
    {
        var ms = p.Timestamp.ToUnixTimeMilliseconds();
        MinTimestamp = Math.Min(MinTimestamp, ms);
        MaxTimestamp = Math.Max(MaxTimestamp, ms);
        for (var r = 0; r < rows; r++)
        {
            _requestIds.Add(p.RequestId);
            _rows.Add(r);
            _timestamps.Add(ms);
            _latencies.Add(p.LatencyMs);
            _statuses.Add(p.Status);
        }

        // Tensor by tensor, reading each one's elements in order: the writer's cost per value stays a few ns.
        foreach (var plan in _plans)
        {
            var tensor = (plan.IsOutput ? p.Outputs : p.Inputs)[plan.Tensor];
            if (plan.ShapeOnly)
            {
                var shape = "[" + string.Join(",", tensor.Shape) + "]";
                for (var r = 0; r < rows; r++)
                {
                    _texts[plan.First].Add(shape);
                }
            }
            else if (plan.IsText)
            {
                for (var j = 0; j < plan.Width; j++)
                {
                    for (var r = 0; r < rows; r++)
                    {
                        var index = (r * plan.Width) + j;
                        _texts[plan.First + j].Add(tensor.Strings is { } s && index < s.Length ? s[index] : null);
                    }
                }
            }
            else
            {
                AppendNumbers(tensor, plan, rows);
            }
        }
    }

    internal ArraySegment<string> RequestIds => _requestIds.Segment;

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
        _requestIds.Clear(release);
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

    private void AppendNumbers(CapturedTensor tensor, TensorPlan plan, int rows)
    {
        var width = plan.Width;
        switch (tensor.DataType)
        {
            case DataType.Fp32:
                var floats = MemoryMarshal.Cast<byte, float>(tensor.Bytes);
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
                var doubles = MemoryMarshal.Cast<byte, double>(tensor.Bytes);
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
                        list.Add(TensorValues.Read(tensor, (r * width) + j));
                    }
                }

                break;
        }
    }
}
