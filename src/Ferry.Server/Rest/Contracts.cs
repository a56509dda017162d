using System.Text.Json.Serialization;

namespace Ferry.Server.Rest;

public sealed record ErrorBody([property: JsonPropertyName("error")] string Error);

public sealed record ServerMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("extensions")] IReadOnlyList<string> Extensions);

public sealed record TensorMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string DataType,
    [property: JsonPropertyName("shape")] long[] Shape);

public sealed record ModelMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("versions")] IReadOnlyList<string> Versions,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("inputs")] IReadOnlyList<TensorMetadata> Inputs,
    [property: JsonPropertyName("outputs")] IReadOnlyList<TensorMetadata> Outputs);

public sealed record RepositoryIndexRequest([property: JsonPropertyName("ready")] bool? Ready);

public sealed record RepositoryIndexEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string Reason);

public sealed record ModelConfigResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("backend")] string Backend,
    [property: JsonPropertyName("max_batch_size")] int MaxBatchSize,
    [property: JsonPropertyName("instance_count")] int InstanceCount,
    [property: JsonPropertyName("input")] IReadOnlyList<TensorMetadata> Input,
    [property: JsonPropertyName("output")] IReadOnlyList<TensorMetadata> Output);

[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(ServerMetadata))]
[JsonSerializable(typeof(ModelMetadata))]
[JsonSerializable(typeof(RepositoryIndexRequest))]
[JsonSerializable(typeof(IReadOnlyList<RepositoryIndexEntry>))]
[JsonSerializable(typeof(ModelConfigResponse))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
public sealed partial class RestJson : JsonSerializerContext
{
    /// <summary>Writes text as it is (no \u0027 for quotes): these answers go to programs and people, not into HTML.</summary>
    public static RestJson Relaxed { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
