using System.Text.Json.Serialization;

namespace Ferry.Delivery.Model;

/// <summary>Where a deployment's rollout stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeploymentPhase>))]
public enum DeploymentPhase
{
    /// <summary>Only the stable version serves; no candidate.</summary>
    [JsonStringEnumMemberName("stable")]
    Stable,

    /// <summary>Blue/green: the candidate is loaded and answers on the preview route only.</summary>
    [JsonStringEnumMemberName("preview")]
    Preview,

    /// <summary>Canary: steps are running and analysis watches the candidate.</summary>
    [JsonStringEnumMemberName("progressing")]
    Progressing,

    /// <summary>Canary: waiting for a person (a pause step without a duration, an inconclusive analysis, or a pause call).</summary>
    [JsonStringEnumMemberName("paused")]
    Paused,

    /// <summary>Shadow: the candidate gets copies of requests.</summary>
    [JsonStringEnumMemberName("shadowing")]
    Shadowing,

    /// <summary>A/B: the split is live and measured.</summary>
    [JsonStringEnumMemberName("experimenting")]
    Experimenting,

    /// <summary>The rollout failed or was aborted; all traffic is back on the stable version.</summary>
    [JsonStringEnumMemberName("aborted")]
    Aborted,
}
