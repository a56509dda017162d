using System.Runtime.InteropServices;

namespace Ferry.Monitoring.Log;

/// <summary>Rows of one model version and layout waiting for the next flush, held column by column.</summary>
public sealed class SegmentBuffer
{
    private readonly List<string> _requestIds = [];
    private readonly List<int> _rows = [];
    private readonly List<long> _timestamps = [];
    private readonly List<double> _latencies = [];
    private readonly List<string> _statuses = [];
    private readonly List<double>[] _numbers;
    private readonly List<string?>[] _texts;
    private readonly TensorPlan[] _plans;

    public SegmentBuffer(string model, string version, SegmentLayout layout)
    {
        Model = model;
        Version = version;
        Layout = layout;
        _numbers = layout.Columns.Select(_ => new List<double>()).ToArray();
        _texts = layout.Columns.Select(_ => new List<string?>()).ToArray();
        _plans = TensorPlan.Of(layout);
    }

    public string Model { get; }

    public string Version { get; }

    public SegmentLayout Layout { get; }

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

    internal IReadOnlyList<string> RequestIds => _requestIds;

    internal IReadOnlyList<int> Rows => _rows;

    internal IReadOnlyList<long> Timestamps => _timestamps;

    internal IReadOnlyList<double> Latencies => _latencies;

    internal IReadOnlyList<string> Statuses => _statuses;

    internal List<double> Numbers(int column) => _numbers[column];

    internal List<string?> Texts(int column) => _texts[column];

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
