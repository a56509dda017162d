namespace Ferry.Monitoring.Alerts;

/// <summary>The kinds of <see cref="AlertRule"/> and the metrics each accepts.</summary>
public static class AlertKinds
{
    public const string ErrorRate = "error_rate";
    public const string Latency = "latency";
    public const string Drift = "drift";
    public const string Performance = "performance";
    public const string Staleness = "staleness";

    public static readonly IReadOnlyList<string> All = [ErrorRate, Latency, Drift, Performance, Staleness];

    public static readonly IReadOnlyList<string> LatencyMetrics = ["p50", "p90", "p95", "p99"];

    public static readonly IReadOnlyList<string> PerformanceMetrics = ["accuracy", "precision", "recall", "f1", "auc", "mae", "rmse"];

    public static readonly IReadOnlyList<string> StalenessMetrics = ["model_age", "data_age"];

    public static readonly IReadOnlyList<string> Ops = [">", ">=", "<", "<="];
}
