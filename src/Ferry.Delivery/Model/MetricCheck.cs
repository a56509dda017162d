namespace Ferry.Delivery.Model;

/// <summary>
/// One analysis check. A measurement above <see cref="FailAbove"/> is a failure, one at or below
/// <see cref="SucceedAtMost"/> a success, one between them inconclusive (the rollout pauses for a person).
/// The rollout aborts when failures exceed <see cref="FailureLimit"/> (0: the first failure aborts, as in Argo).
/// A window with fewer than <see cref="MinSamples"/> candidate requests decides nothing.
/// </summary>
public sealed record MetricCheck
{
    /// <summary>A name for the history; the metric's name when not given.</summary>
    public string? Name { get; init; }

    public required CheckMetric Metric { get; init; }

    public required double FailAbove { get; init; }

    /// <summary>The success bound; <see cref="FailAbove"/> when not given (no inconclusive band).</summary>
    public double? SucceedAtMost { get; init; }

    public int FailureLimit { get; init; }

    public int MinSamples { get; init; } = 100;

    public string DisplayName => Name ?? Metric switch
    {
        CheckMetric.ErrorRate => "error_rate",
        CheckMetric.LatencyP99Ms => "latency_p99_ms",
        _ => "prediction_drift",
    };
}
