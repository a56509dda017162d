using System.Text.Json.Serialization;
using Ferry.Batch;

namespace Ferry.Server.Batch;

/// <summary>The answer of the status endpoint.</summary>
public sealed record BatchJobStatus
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>queued, running, succeeded, failed or cancelled.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    [JsonPropertyName("rows_done")]
    public long RowsDone { get; init; }

    [JsonPropertyName("rows_total")]
    public long? RowsTotal { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("summary")]
    public BatchSummary? Summary { get; init; }
}
