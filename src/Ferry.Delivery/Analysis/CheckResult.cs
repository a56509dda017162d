using Ferry.Delivery.Model;

namespace Ferry.Delivery.Analysis;

/// <summary>One check's measurement over one window, with the bounds it was held to: the evidence kept in the history.</summary>
public sealed record CheckResult
{
    public required string Check { get; init; }

    public required CheckMetric Metric { get; init; }

    public required CheckOutcome Outcome { get; init; }

    /// <summary>The measured value; null when there were too few samples to measure.</summary>
    public double? Value { get; init; }

    /// <summary>The stable version's value over the same window, for comparison.</summary>
    public double? StableValue { get; init; }

    /// <summary>The drift test's p-value, for <see cref="CheckMetric.PredictionDrift"/>.</summary>
    public double? PValue { get; init; }

    public required double FailAbove { get; init; }

    public required double SucceedAtMost { get; init; }

    public required long CandidateSamples { get; init; }

    public required long StableSamples { get; init; }

    public required int MinSamples { get; init; }
}
