using System.Text.Json.Serialization;

namespace Ferry.Delivery.Model;

/// <summary>How a deployment moves traffic from its stable version to a candidate.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryStrategy>))]
public enum DeliveryStrategy
{
    /// <summary>The candidate is loaded and reachable on the preview route, then takes all traffic at once.</summary>
    [JsonStringEnumMemberName("bluegreen")]
    BlueGreen,

    /// <summary>The candidate's share grows step by step while analysis watches it.</summary>
    [JsonStringEnumMemberName("canary")]
    Canary,

    /// <summary>A share of requests is copied to the candidate; callers only ever get the stable answer.</summary>
    [JsonStringEnumMemberName("shadow")]
    Shadow,

    /// <summary>A fixed weighted split with sticky assignment, measured per variant.</summary>
    [JsonStringEnumMemberName("ab")]
    AB,
}
