using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Mlflow;

/// <summary>
/// MLflow's JSON: snake_case names, nulls left out, 64-bit numbers accepted as strings too (protobuf's JSON mapping
/// writes int64 as strings, and some clients send them so). Kept apart from the host's JSON options, which the other
/// APIs own.
/// </summary>
internal static class MlflowJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Reads the body as <typeparamref name="T"/>; an empty or malformed body is INVALID_PARAMETER_VALUE.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken).ConfigureAwait(false)
                ?? throw FerryException.Invalid("the request body is empty; expected a JSON object");
        }
        catch (JsonException e)
        {
            throw FerryException.Invalid("Malformed request body: " + e.Message);
        }
    }

    public static IResult Ok(object value) => Results.Json(value, Options);

    public static IResult Empty() => Results.Json(new { }, Options);
}
