namespace Ferry.Monitoring.Alerts;

/// <summary>
/// A condition watched in the background: a value measured for a model over a window (<see cref="Kind"/> and
/// <see cref="Metric"/> say which) compared with <see cref="Threshold"/>. The rule fires once when the condition
/// starts to hold and resolves once when it stops; nothing is sent while it keeps holding.
/// </summary>
/// <remarks>
/// Kinds and their values:
/// <list type="bullet">
/// <item><c>error_rate</c>: share of logged rows whose status is not ok, 0..1.</item>
/// <item><c>latency</c>: a percentile (<see cref="Metric"/> p50, p90, p95 or p99; default p99) of request latency in ms.</item>
/// <item><c>drift</c>: with no <see cref="Metric"/>, the share of drifted features (0..1); with a feature's name, that
/// feature's test statistic. <see cref="Reference"/> names the training data (CSV, Parquet or JSONL).</item>
/// <item><c>performance</c>: realised accuracy, precision, recall, f1, auc, mae or rmse from labelled predictions.</item>
/// <item><c>staleness</c>: age in days of the model version (<c>model_age</c>) or of its training data (<c>data_age</c>).</item>
/// </list>
/// </remarks>
public sealed record AlertRule
{
    public required string Name { get; init; }

    public required string Model { get; init; }

    public string? Version { get; init; }

    public required string Kind { get; init; }

    public string? Metric { get; init; }

    /// <summary>"&gt;", "&gt;=", "&lt;" or "&lt;="; by default &lt; for performance scores, &gt; for everything else.</summary>
    public string? Op { get; init; }

    public required double Threshold { get; init; }

    /// <summary>The span of traffic measured, ending at the evaluation time (default one hour).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Fewer rows than this in the window leave the rule as it was (no evidence either way).</summary>
    public long MinSamples { get; init; } = 1;

    /// <summary>For drift: the reference data file the window is compared with.</summary>
    public string? Reference { get; init; }

    /// <summary>The comparison in effect: <see cref="Op"/>, or the kind's default.</summary>
    public string EffectiveOp => Op ?? (Kind == AlertKinds.Performance && Metric is not ("mae" or "rmse") ? "<" : ">");

    public bool Holds(double value) => EffectiveOp switch
    {
        ">" => value > Threshold,
        ">=" => value >= Threshold,
        "<" => value < Threshold,
        "<=" => value <= Threshold,
        _ => false,
    };
}
