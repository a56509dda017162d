namespace Ferry.Delivery.Statistics;

/// <summary>The outcome of a two-sided hypothesis test: the statistic, its degrees of freedom (when the test has them) and the p-value.</summary>
public sealed record TestResult
{
    public required string Test { get; init; }

    public required double Statistic { get; init; }

    /// <summary>Degrees of freedom: Welch–Satterthwaite's (real) for the t-test, (rows-1)(columns-1) for chi-square, null for z.</summary>
    public double? DegreesOfFreedom { get; init; }

    public required double PValue { get; init; }
}
