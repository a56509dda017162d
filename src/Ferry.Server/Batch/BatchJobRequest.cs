using System.Text.Json.Serialization;

namespace Ferry.Server.Batch;

/// <summary>The body of <c>POST /api/v1/batch/jobs</c>; paths are relative to the data folder.</summary>
public sealed record BatchJobRequest
{
    /// <summary><c>NAME</c>, <c>NAME:VERSION</c> or <c>NAME@ALIAS</c>: a repository model or a registered one.</summary>
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

    /// <summary>The experiment the job is recorded in; default <c>batch</c>.</summary>
    [JsonPropertyName("experiment")]
    public string? Experiment { get; init; }

    /// <summary>The dataset name the input is found by or registered under; default its file or folder name.</summary>
    [JsonPropertyName("input_dataset")]
    public string? InputDataset { get; init; }

    /// <summary>Registers the finished output as a version of this dataset, linked to the job's run.</summary>
    [JsonPropertyName("register_output")]
    public string? RegisterOutput { get; init; }

    /// <summary>The same as <see cref="RegisterOutput"/>, for clients that write camelCase.</summary>
    [JsonPropertyName("registerOutput")]
    public string? RegisterOutputCamelCase { get; init; }
}
