namespace Ferry.Monitoring.Drift;

/// <summary>Drift of every compared feature; the dataset drifts when the drifted share reaches the threshold (0.5 by default).</summary>
public sealed record DriftReport
{
    public required string Model { get; init; }

    public string? Version { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public required string Reference { get; init; }

    public required long CurrentRows { get; init; }

    public required IReadOnlyList<FeatureDrift> Features { get; init; }

    public required double DriftedShare { get; init; }

    public required double DatasetDriftThreshold { get; init; }

    public required bool DatasetDrift { get; init; }
}
