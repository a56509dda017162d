using System.Text.Json.Serialization;

namespace Ferry.Delivery.Analysis;

/// <summary>What one check concluded about one window.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckOutcome>))]
public enum CheckOutcome
{
    [JsonStringEnumMemberName("success")]
    Success,

    [JsonStringEnumMemberName("failure")]
    Failure,

    /// <summary>Between the success and failure bounds: a person decides.</summary>
    [JsonStringEnumMemberName("inconclusive")]
    Inconclusive,

    /// <summary>Fewer requests than the check's minimum: no decision, the window is not counted.</summary>
    [JsonStringEnumMemberName("too_few_samples")]
    TooFewSamples,
}
