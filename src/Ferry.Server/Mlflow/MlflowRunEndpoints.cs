using Ferry.Storage.Tracking;
using Ferry.Tracking.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Mlflow;

/// <summary>MLflow's run endpoints; the work is in <see cref="TrackingService"/>.</summary>
internal static class MlflowRunEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/runs/create", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<CreateRunRequest>(request, ct);
            var run = await tracking.CreateRunAsync(body.ExperimentId, body.UserId, body.RunName, body.StartTime, MlflowMapping.Pairs(body.Tags), ct);
            return MlflowJson.Ok(new { run = MlflowMapping.ToMlflow(run) });
        });
        group.MapGet("/runs/get", async (string? run_id, string? run_uuid, TrackingService tracking, CancellationToken ct) =>
            MlflowRunJson.One(await tracking.GetRunAsync(run_id ?? run_uuid, ct)));
        group.MapPost("/runs/update", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<UpdateRunRequest>(request, ct);
            var run = await tracking.UpdateRunAsync(body.RunId ?? body.RunUuid, body.Status, body.EndTime, body.RunName, ct);
            return MlflowJson.Ok(new { run_info = MlflowMapping.Info(run) });
        });
        group.MapPost("/runs/delete", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            await tracking.DeleteRunAsync((await MlflowJson.ReadAsync<RunIdRequest>(request, ct)).RunId, ct);
            return MlflowJson.Empty();
        });
        group.MapPost("/runs/search", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<SearchRunsRequest>(request, ct);
            var page = await tracking.SearchRunsAsync(body.ExperimentIds ?? [], body.Filter, body.OrderBy, MlflowMapping.View(body.RunViewType),
                body.MaxResults, body.PageToken, ct);
            return MlflowRunJson.Page(page.Items, page.NextPageToken);
        });
        group.MapPost("/runs/log-metric", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<LogMetricRequest>(request, ct);
            var value = body.Value ?? throw FerryException.Invalid("Missing value for required parameter 'value'.");
            var timestamp = body.Timestamp ?? throw FerryException.Invalid("Missing value for required parameter 'timestamp'.");
            var metric = new MetricPoint(body.Key ?? "", value, timestamp, body.Step ?? 0);
            await tracking.LogBatchAsync(body.RunId ?? body.RunUuid, new RunBatch { Metrics = [metric] }, ct);
            return MlflowJson.Empty();
        });
        group.MapPost("/runs/log-parameter", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<LogParamRequest>(request, ct);
            await tracking.LogBatchAsync(body.RunId ?? body.RunUuid, new RunBatch { Params = [new(body.Key ?? "", body.Value!)] }, ct);
            return MlflowJson.Empty();
        });
        group.MapPost("/runs/set-tag", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<LogParamRequest>(request, ct);
            await tracking.LogBatchAsync(body.RunId ?? body.RunUuid, new RunBatch { Tags = [new(body.Key ?? "", body.Value!)] }, ct);
            return MlflowJson.Empty();
        });
        group.MapPost("/runs/log-batch", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<LogBatchRequest>(request, ct);
            await tracking.LogBatchAsync(body.RunId, new RunBatch
            {
                Metrics = body.Metrics?.Select(m => new MetricPoint(m.Key, m.Value, m.Timestamp, m.Step)).ToArray() ?? [],
                Params = MlflowMapping.Pairs(body.Params),
                Tags = MlflowMapping.Pairs(body.Tags),
            }, ct);
            return MlflowJson.Empty();
        });
        group.MapPost("/runs/log-inputs", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<LogInputsRequest>(request, ct);
            await tracking.LogInputsAsync(body.RunId, body.Datasets?.Select(MlflowMapping.FromMlflow).ToArray() ?? [], ct);
            return MlflowJson.Empty();
        });
        group.MapGet("/metrics/get-history", MetricHistory.WriteAsync);
    }
}
