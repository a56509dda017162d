using System.Text.Json.Serialization;

namespace Ferry.Delivery.Model;

/// <summary>What a metric check measures on the candidate over the live window; lower is better for each.</summary>
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
}
