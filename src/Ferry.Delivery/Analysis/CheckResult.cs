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

    /// <summary>The failure bound of a lower-is-better metric.</summary>
    public double? FailAbove { get; init; }

    public double? SucceedAtMost { get; init; }

    /// <summary>The failure bound of a higher-is-better metric (accuracy).</summary>
    public double? FailBelow { get; init; }

    public double? SucceedAtLeast { get; init; }

    /// <summary>The candidate's samples: requests, predictions kept, or (accuracy, mae) predictions joined to a label.</summary>
    public required long CandidateSamples { get; init; }

    public required long StableSamples { get; init; }

    public required int MinSamples { get; init; }

    /// <summary>The bound that decides failure, as people read it: <c>&gt; 0.01</c> or <c>&lt; 0.9</c>.</summary>
    public string FailureBound => FailBelow is { } below
        ? "< " + below.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)
        : "> " + (FailAbove ?? 0).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
