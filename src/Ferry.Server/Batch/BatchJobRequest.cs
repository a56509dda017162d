using System.Text.Json.Serialization;

namespace Ferry.Server.Batch;

/// <summary>The body of <c>POST /api/v1/batch/jobs</c>; paths are relative to the data folder.</summary>
public sealed record BatchJobRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("input")]
    public string? Input { get; init; }

    [JsonPropertyName("output")]
    public string? Output { get; init; }

    [JsonPropertyName("format")]
    public string? Format { get; init; }

    /// <summary>Model input → column.</summary>
    [JsonPropertyName("map")]
    public Dictionary<string, string>? Map { get; init; }

    [JsonPropertyName("keep")]
    public List<string>? Keep { get; init; }

    [JsonPropertyName("outputs")]
    public List<string>? Outputs { get; init; }

    [JsonPropertyName("on_error")]
    public string? OnError { get; init; }

    [JsonPropertyName("shard")]
    public string? Shard { get; init; }

    [JsonPropertyName("chunk_rows")]
    public int? ChunkRows { get; init; }

    [JsonPropertyName("restart")]
    public bool Restart { get; init; }
}
