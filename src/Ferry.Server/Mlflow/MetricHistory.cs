using System.Text.Json;
using Ferry.Tracking.Runs;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Mlflow;

/// <summary>
/// <c>metrics/get-history</c>, streamed: the store reads the series in batches into one reused buffer and the points
/// are written as they come, so a series of millions of steps costs a batch and a flush window, not a list in memory.
/// Errors (unknown run) are found before the first byte is sent.
/// </summary>
internal static class MetricHistory
{
    /// <summary>Points per read from the store: one await per batch, not per row.</summary>
    internal const int BatchSize = 2048;

    /// <summary>Bytes written to the response pipe before it is flushed to the socket.</summary>
    internal const int FlushBytes = 64 * 1024;

    private static readonly JsonEncodedText Metrics = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Step = JsonEncodedText.Encode("step");

    public static async Task<IResult> WriteAsync(HttpContext context, string? run_id, string? run_uuid, string? metric_key, TrackingService tracking)
    {
        var ct = context.RequestAborted;
        var batches = await tracking.OpenMetricHistoryAsync(run_id ?? run_uuid, metric_key, BatchSize, ct);
        var key = JsonEncodedText.Encode(metric_key!);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray(Metrics);
        long flushedAt = 0;
        await foreach (var batch in batches.WithCancellation(ct))
        {
            WriteBatch(writer, key, batch.Span);
            if (writer.BytesCommitted + writer.BytesPending - flushedAt >= FlushBytes)
            {
                await writer.FlushAsync(ct);
                flushedAt = writer.BytesCommitted;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
        return Results.Empty;
    }

    private static void WriteBatch(Utf8JsonWriter writer, JsonEncodedText key, ReadOnlySpan<Storage.Tracking.MetricSample> batch)
    {
        foreach (ref readonly var point in batch)
        {
            writer.WriteStartObject();
            writer.WriteString(Key, key);
            MlflowRunJson.WriteValue(writer, Value, point.Value);
            writer.WriteNumber(Timestamp, point.Timestamp);
            writer.WriteNumber(Step, point.Step);
            writer.WriteEndObject();
        }
    }
}
