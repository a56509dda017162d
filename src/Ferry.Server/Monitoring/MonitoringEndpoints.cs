using System.Globalization;
using System.Text.Json;
using Ferry.Monitoring;
using Ferry.Monitoring.Alerts;
using Ferry.Monitoring.Drift;
using Ferry.Monitoring.Labels;
using Ferry.Monitoring.Log;
using Ferry.Monitoring.Performance;
using Ferry.Server.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Monitoring;

/// <summary>
/// The monitoring management API under <c>/api/v1/monitoring</c>: the prediction log, labels, realised performance
/// and drift. Bad parameters are 400 problem details; the logic lives in Ferry.Monitoring.
/// </summary>
public static class MonitoringEndpoints
{
    public const int MaxLimit = 10_000;

    public static IEndpointRouteBuilder MapMonitoring(this IEndpointRouteBuilder app)
    {
        // Labels and evaluations are changes (writer); the prediction log, drift and performance are reads (reader).
        var group = app.MapGroup("/api/v1/monitoring").RequireToken();
        group.MapGet("/predictions", (HttpRequest http, PredictionLogReader reader, CancellationToken ct) => Guard(async () =>
        {
            var q = http.Query;
            var limit = q["limit"] is { Count: > 0 } l ? int.Parse(l.ToString(), CultureInfo.InvariantCulture) : 100;
            var range = new LogRange(Required(q["model"], "model"), Optional(q["version"]), Time(q["from"]) ?? DateTimeOffset.UnixEpoch, Time(q["to"]) ?? DateTimeOffset.MaxValue);
            var rows = await PredictionQuery.RunAsync(reader, range, Math.Clamp(limit, 1, MaxLimit), ct);
            return Results.Json(rows, MonitoringJson.Options);
        }));
        group.MapPost("/labels", (HttpRequest http, LabelStore labels, TimeProvider time, CancellationToken ct) => Guard(async () =>
        {
            using var body = await JsonDocument.ParseAsync(http.Body, default, ct);
            var parsed = LabelRequests.Parse(body.RootElement, time.GetUtcNow());
            await labels.AppendAsync(parsed, ct);
            return Results.Json(new { accepted = parsed.Count }, MonitoringJson.Options);
        }));
        group.MapGet("/performance", (HttpRequest http, PerformanceService performance, CancellationToken ct) => Guard(async () =>
        {
            var q = http.Query;
            var report = await performance.ComputeAsync(
                new PerformanceRequest
                {
                    Model = Required(q["model"], "model"),
                    Version = Optional(q["version"]),
                    Window = Optional(q["window"]) is { } w ? Durations.Parse(w) : TimeSpan.FromHours(1),
                    From = Time(q["from"]),
                    To = Time(q["to"]),
                    Output = Optional(q["output"]),
                    Score = Optional(q["score"]),
                    Task = Optional(q["task"]),
                },
                ct);
            return Results.Json(report, MonitoringJson.Options);
        }));
        group.MapGet("/drift", (HttpRequest http, DriftService drift, PredictionLogReader reader, IReferenceSource references, TimeProvider time, CancellationToken ct) => Guard(async () =>
        {
            var q = http.Query;
            var model = Required(q["model"], "model");
            var version = Optional(q["version"]);
            var window = Optional(q["window"]) is { } w ? Durations.Parse(w) : TimeSpan.FromHours(1);
            var to = Time(q["to"]) ?? time.GetUtcNow();
            ReferenceProfile reference = Optional(q["reference"]) is { } path
                ? await references.LoadAsync(path, model, version, ct)
                : await ReferenceProfileBuilder.FromLogAsync(reader, new LogRange(model, version, Time(q["reference_from"]) ?? throw new FormatException("give reference=PATH or reference_from= and reference_to="), Time(q["reference_to"]) ?? throw new FormatException("reference_to= is required with reference_from=")), ct);
            var threshold = Optional(q["threshold"]) is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : (double?)null;
            var report = await drift.DetectAsync(reference, new LogRange(model, version, to - window, to), Optional(q["test"]), threshold, DriftDetector.DefaultDatasetDriftShare, ct);
            return Results.Json(report, MonitoringJson.Options);
        }));
        group.MapGet("/alerts", (AlertManager alerts) => Results.Json(new { alerts = alerts.States }, MonitoringJson.Options));
        group.MapGet("/alerts/history", (HttpRequest http, AlertHistory history, CancellationToken ct) => Guard(async () =>
        {
            var q = http.Query;
            var limit = q["limit"] is { Count: > 0 } l ? int.Parse(l.ToString(), CultureInfo.InvariantCulture) : 100;
            var events = await history.ReadAsync(Optional(q["rule"]), Math.Clamp(limit, 1, MaxLimit), ct);
            return Results.Json(new { events }, MonitoringJson.Options);
        }));
        // Evaluates every rule at once instead of waiting for the timer: for operators checking a new rule, and tests.
        group.MapPost("/alerts/evaluate", async (AlertManager alerts, CancellationToken ct) =>
            Results.Json(new { events = await alerts.EvaluateAsync(ct), alerts = alerts.States }, MonitoringJson.Options));
        return app;
    }

    private static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException or OverflowException or InvalidOperationException or KeyNotFoundException)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "invalid monitoring request");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or Ferry.Batch.BatchUsageException)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "reference not readable");
        }
    }

    private static string Required(Microsoft.Extensions.Primitives.StringValues value, string name) =>
        Optional(value) ?? throw new ArgumentException($"the query parameter '{name}' is required");

    private static string? Optional(Microsoft.Extensions.Primitives.StringValues value) => value.Count > 0 && value[0] is { Length: > 0 } s ? s : null;

    /// <summary>ISO 8601 or Unix milliseconds.</summary>
    private static DateTimeOffset? Time(Microsoft.Extensions.Primitives.StringValues value) => Optional(value) switch
    {
        null => null,
        { } s when long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
        { } s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
    };
}
