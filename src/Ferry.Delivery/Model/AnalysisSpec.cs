namespace Ferry.Delivery.Model;

/// <summary>The checks run on the live window every <see cref="Interval"/> while a canary progresses.</summary>
public sealed record AnalysisSpec
{
    /// <summary>How long one window lasts; one minute by default.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<MetricCheck> Checks { get; init; } = [];
}
