using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ferry.Monitoring;

/// <summary>The monitoring API's JSON: snake_case like the label posts it accepts, enums as names. Shared with the CLI.</summary>
public static class MonitoringJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
