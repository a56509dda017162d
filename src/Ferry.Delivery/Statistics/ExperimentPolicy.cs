namespace Ferry.Delivery.Statistics;

/// <summary>What an experiment compares and how sure it must be before it names a winner.</summary>
public sealed record ExperimentPolicy
{
    /// <summary>Proportions (accuracy, error rate: two-proportion z) or means (latency, error: Welch's t).</summary>
    public ExperimentMetricKind Kind { get; init; } = ExperimentMetricKind.Proportion;

    /// <summary>True for accuracy or conversion, false for error rate or latency. Default true.</summary>
    public bool HigherIsBetter { get; init; } = true;

    /// <summary>The significance level for the family of comparisons; Bonferroni-split over them. Default 0.05.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Observations every variant needs before any test is trusted. Default 100.</summary>
    public long MinSamplesPerVariant { get; init; } = 100;
}

/// <summary>The kind of metric an experiment compares.</summary>
public enum ExperimentMetricKind
{
    Proportion,
    Mean,
}
