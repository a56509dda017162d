namespace Ferry.Monitoring.Performance;

/// <summary>
/// What to measure: a model (optionally one version) over windows of <see cref="Window"/> between From and To
/// (default: the last 24 windows up to now). <see cref="Output"/> names the prediction output and <see cref="Score"/>
/// a positive-class score for AUC; both are guessed from the output names when absent.
/// </summary>
public sealed record PerformanceRequest
{
    public required string Model { get; init; }

    public string? Version { get; init; }

    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? Output { get; init; }

    public string? Score { get; init; }

    /// <summary>"classification" or "regression"; null to decide from the labels and predictions.</summary>
    public string? Task { get; init; }
}
