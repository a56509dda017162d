namespace Ferry.Storage.Tracking;

/// <summary>What one log call writes to a run; params are write-once, tags overwrite, metrics append.</summary>
public sealed record RunBatch
{
    public IReadOnlyList<MetricPoint> Metrics { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Params { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];
}
