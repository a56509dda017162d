namespace Ferry.Storage.Tracking;

/// <summary>A run with its latest metric values, params, tags and inputs.</summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }

    public required long ExperimentId { get; init; }

    public required string Name { get; init; }

    public required string UserId { get; init; }

    /// <summary>One of <see cref="RunStatuses"/>.</summary>
    public required string Status { get; init; }

    public required long StartTime { get; init; }

    public long? EndTime { get; init; }

    public required string LifecycleStage { get; init; }

    public required string ArtifactUri { get; init; }

    public IReadOnlyList<MetricPoint> LatestMetrics { get; init; } = [];

    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<RunInput> Inputs { get; init; } = [];
}
