using System.Text.Json;
using Ferry.Tracking.Runs;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Mlflow;

/// <summary>
/// <c>metrics/get-history</c>, streamed: points are written as the store reads them, so a series of millions of
/// steps costs a flush buffer, not a list in memory. Errors (unknown run) are found before the first byte is sent.
/// </summary>
internal static class MetricHistory
{
    private const int FlushEvery = 1000;

    public static async Task<IResult> WriteAsync(HttpContext context, string? run_id, string? run_uuid, string? metric_key, TrackingService tracking)
    {
        var ct = context.RequestAborted;
        var points = await tracking.OpenMetricHistoryAsync(run_id ?? run_uuid, metric_key, ct);
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("metrics");
        var count = 0;
        await foreach (var point in points.WithCancellation(ct))
        {
            writer.WriteStartObject();
            writer.WriteString("key", point.Key);
            WriteValue(writer, point.Value);
            writer.WriteNumber("timestamp", point.Timestamp);
            writer.WriteNumber("step", point.Step);
            writer.WriteEndObject();
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
        return Results.Empty;
    }

    // JSON has no NaN or infinities; MLflow writes them as the strings Python's json module reads back.
    private static void WriteValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber("value", value);
        }
        else
        {
            writer.WriteString("value", double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
