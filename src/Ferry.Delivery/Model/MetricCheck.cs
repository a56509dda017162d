namespace Ferry.Delivery.Model;

/// <summary>
/// One analysis check. For a lower-is-better metric a measurement above <see cref="FailAbove"/> is a failure, one at
/// or below <see cref="SucceedAtMost"/> a success; for <see cref="CheckMetric.Accuracy"/> (higher is better) one below
/// <see cref="FailBelow"/> is a failure, one at or above <see cref="SucceedAtLeast"/> a success. One between the
/// bounds is inconclusive (the rollout pauses for a person). The rollout aborts when failures exceed
/// <see cref="FailureLimit"/> (0: the first failure aborts, as in Argo). A window with fewer than
/// <see cref="MinSamples"/> candidate requests (labelled predictions, for the realised metrics) decides nothing.
/// </summary>
public sealed record MetricCheck
{
    /// <summary>A name for the history; the metric's name when not given.</summary>
    public string? Name { get; init; }

    public required CheckMetric Metric { get; init; }

    /// <summary>The failure bound of a lower-is-better metric; required for those, refused for accuracy.</summary>
    public double? FailAbove { get; init; }

    /// <summary>The success bound; <see cref="FailAbove"/> when not given (no inconclusive band).</summary>
    public double? SucceedAtMost { get; init; }

    /// <summary>The failure bound of a higher-is-better metric (accuracy); required for those, refused for the others.</summary>
    public double? FailBelow { get; init; }

    /// <summary>The success bound of a higher-is-better metric; <see cref="FailBelow"/> when not given.</summary>
    public double? SucceedAtLeast { get; init; }

    public int FailureLimit { get; init; }

    public int MinSamples { get; init; } = 100;

    /// <summary>Whether larger values are better (accuracy): the check then reads <see cref="FailBelow"/>.</summary>
    public bool HigherIsBetter => IsHigherBetter(Metric);

    /// <summary>Whether the metric is measured on labelled predictions (accuracy, mae) rather than on the window's requests.</summary>
    public bool NeedsLabels => Metric is CheckMetric.Accuracy or CheckMetric.Mae;

    public string DisplayName => Name ?? MetricName(Metric);

    public static bool IsHigherBetter(CheckMetric metric) => metric == CheckMetric.Accuracy;

    public static string MetricName(CheckMetric metric) => metric switch
    {
        CheckMetric.ErrorRate => "error_rate",
        CheckMetric.LatencyP99Ms => "latency_p99_ms",
        CheckMetric.PredictionDrift => "prediction_drift",
        CheckMetric.Accuracy => "accuracy",
        _ => "mae",
    };
}
