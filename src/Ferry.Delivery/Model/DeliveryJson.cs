using System.Text.Json;
using System.Text.Json.Serialization;
using Ferry.Storage.Delivery;

namespace Ferry.Delivery.Model;

/// <summary>The deployment API's and the stored document's JSON: snake_case, enums as their names, nulls left out.</summary>
public static class DeliveryJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The document stored for a deployment: its spec and state.</summary>
    internal sealed record Document(DeploymentSpec Spec, DeploymentState State);

    internal static string Write(DeploymentSpec spec, DeploymentState state) => JsonSerializer.Serialize(new Document(spec, state), Options);

    internal static Deployment Read(DeploymentRecord record)
    {
        var document = JsonSerializer.Deserialize<Document>(record.Document, Options)
            ?? throw new InvalidDataException($"deployment '{record.Name}' has an empty document");
        return new Deployment
        {
            Name = record.Name,
            Model = record.Model,
            Spec = document.Spec,
            State = document.State,
            Revision = record.Revision,
            CreatedAt = record.CreatedAt,
            UpdatedAt = record.UpdatedAt,
        };
    }

    /// <summary>Evidence for the history: a small object as JSON.</summary>
    internal static string Detail<T>(T value) => JsonSerializer.Serialize(value, Options);
}
