using Ferry.Delivery.Model;

namespace Ferry.Delivery.Control;

/// <summary>
/// A deployment to create, or (for <see cref="DeploymentService.SetCandidateAsync"/>) a candidate with optional
/// new settings. Everything is optional here so that the validator can name each missing field.
/// </summary>
public sealed record DeploymentRequest
{
    public string? Name { get; init; }

    public string? Model { get; init; }

    public long? StableVersion { get; init; }

    public long? CandidateVersion { get; init; }

    public DeliveryStrategy? Strategy { get; init; }

    public IReadOnlyList<CanaryStep>? Steps { get; init; }

    public AnalysisSpec? Analysis { get; init; }

    public double? ShadowPercent { get; init; }

    public TimeSpan? ShadowTimeout { get; init; }

    public double? CandidateWeight { get; init; }

    /// <summary>
    /// The gate policy, in the shape <c>POST /api/v1/gates/check</c> takes as <c>policy</c>; the API reads it with that
    /// endpoint's reader (so a misspelt limit is an error), not with the snake_case options.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Gates.GatePolicy? Gates { get; init; }

    /// <summary>Why, for the history.</summary>
    public string? Reason { get; init; }
}
