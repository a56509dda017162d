using System.Text.Json.Serialization;

namespace Ferry.Delivery.Experiments;

/// <summary>One variant's measurements since its rollout began: what the A/B view and the status show.</summary>
public sealed record VariantReport
{
    public required string Role { get; init; }

    public required long Version { get; init; }

    /// <summary>The variant's configured share in percent.</summary>
    public required double Weight { get; init; }

    public required long Requests { get; init; }

    public required long Errors { get; init; }

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    public required double LatencyP50Ms { get; init; }

    public required double LatencyP99Ms { get; init; }

    /// <summary>Mean latency of the answered requests, exact (not from the buckets).</summary>
    public double LatencyMeanMs { get; init; }

    /// <summary>Standard deviation (n - 1) of the answered requests' latency.</summary>
    public double LatencyStdDevMs { get; init; }

    /// <summary>Answered requests whose latency was recorded (requests minus errors).</summary>
    [JsonIgnore]
    public long LatencyCount { get; init; }

    /// <summary>The kept predictions themselves, for the distribution test; not part of the report's JSON.</summary>
    [JsonIgnore]
    public IReadOnlyList<double> Predictions { get; init; } = [];

    /// <summary>Mean of the first output's first element over the kept predictions; null when none.</summary>
    public double? PredictionMean { get; init; }

    /// <summary>Deciles of the kept predictions (0.1 .. 0.9); empty when none.</summary>
    public IReadOnlyList<double> PredictionDeciles { get; init; } = [];
}
