using System.Text.Json.Serialization;

namespace Ferry.Delivery.Model;

/// <summary>
/// What a metric check measures on the candidate over the live window. Lower is better for each but
/// <see cref="Accuracy"/>, whose bounds are <c>fail_below</c> and <c>succeed_at_least</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckMetric>))]
public enum CheckMetric
{
    /// <summary>Failed requests over all requests (client mistakes excluded), 0..1.</summary>
    [JsonStringEnumMemberName("error_rate")]
    ErrorRate,

    /// <summary>The 99th percentile of the model's latency, in milliseconds.</summary>
    [JsonStringEnumMemberName("latency_p99_ms")]
    LatencyP99Ms,

    /// <summary>Kolmogorov–Smirnov D of the candidate's predictions against the stable version's in the same window, 0..1.</summary>
    [JsonStringEnumMemberName("prediction_drift")]
    PredictionDrift,

    /// <summary>
    /// Realised accuracy, 0..1: the share of the candidate's labelled predictions that equal their ground-truth label
    /// (labels posted to <c>/api/v1/monitoring/labels</c> by request id). Higher is better.
    /// </summary>
    [JsonStringEnumMemberName("accuracy")]
    Accuracy,

    /// <summary>Realised mean absolute error of the candidate's labelled predictions, for regression models.</summary>
    [JsonStringEnumMemberName("mae")]
    Mae,
}
