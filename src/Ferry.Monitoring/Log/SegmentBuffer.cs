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

    public SegmentBuffer(string model, string version, SegmentLayout layout)
    {
        Model = model;
        Version = version;
        Layout = layout;
        _numbers = layout.Columns.Select(_ => new List<double>()).ToArray();
        _texts = layout.Columns.Select(_ => new List<string?>()).ToArray();
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

        // Column by column, so each tensor's layout is worked out once per request, not once per row.
        for (var c = 0; c < Layout.Columns.Count; c++)
        {
            var column = Layout.Columns[c];
            var tensor = (column.IsOutput ? p.Outputs : p.Inputs)[column.Tensor];
            var perRow = Math.Max(SegmentLayout.PerRow(tensor, rows), 0);
            for (var r = 0; r < rows; r++)
            {
                var index = (r * perRow) + column.Element;
                if (column.ShapeOnly)
                {
                    _texts[c].Add("[" + string.Join(",", tensor.Shape) + "]");
                }
                else if (column.IsText)
                {
                    _texts[c].Add(tensor.Strings is { } s && index < s.Length ? s[index] : null);
                }
                else
                {
                    _numbers[c].Add(TensorValues.Read(tensor, index));
                }
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
}
