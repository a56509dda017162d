using Ferry.Storage.Tracking;
using Ferry.Tracking.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Mlflow;

/// <summary>MLflow's experiment endpoints; the work is in <see cref="TrackingService"/>.</summary>
internal static class MlflowExperimentEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/experiments/create", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<CreateExperimentRequest>(request, ct);
            var experiment = await tracking.CreateExperimentAsync(body.Name, body.ArtifactLocation, MlflowMapping.Pairs(body.Tags), ct);
            return MlflowJson.Ok(new { experiment_id = MlflowMapping.ToMlflow(experiment).ExperimentId });
        });
        group.MapGet("/experiments/get", async (string? experiment_id, TrackingService tracking, CancellationToken ct) =>
            MlflowJson.Ok(new { experiment = MlflowMapping.ToMlflow(await tracking.GetExperimentAsync(experiment_id, ct)) }));
        group.MapGet("/experiments/get-by-name", async (string? experiment_name, TrackingService tracking, CancellationToken ct) =>
            MlflowJson.Ok(new { experiment = MlflowMapping.ToMlflow(await tracking.GetExperimentByNameAsync(experiment_name, ct)) }));
        group.MapPost("/experiments/search", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
            await SearchAsync(await MlflowJson.ReadAsync<SearchExperimentsRequest>(request, ct), tracking, ct));
        group.MapGet("/experiments/search", async (long? max_results, string? page_token, string? filter, string? view_type, TrackingService tracking, CancellationToken ct) =>
            await SearchAsync(new SearchExperimentsRequest(max_results, page_token, filter, null, view_type), tracking, ct));
        group.MapPost("/experiments/update", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<UpdateExperimentRequest>(request, ct);
            await tracking.RenameExperimentAsync(body.ExperimentId, body.NewName, ct);
            return MlflowJson.Empty();
        });
        group.MapPost("/experiments/delete", async (HttpRequest request, TrackingService tracking, CancellationToken ct) =>
        {
            var body = await MlflowJson.ReadAsync<ExperimentIdRequest>(request, ct);
            await tracking.DeleteExperimentAsync(body.ExperimentId, ct);
            return MlflowJson.Empty();
        });
    }

    private static async Task<IResult> SearchAsync(SearchExperimentsRequest body, TrackingService tracking, CancellationToken ct)
    {
        var query = new ExperimentQuery
        {
            View = MlflowMapping.View(body.ViewType),
            MaxResults = (int)Math.Clamp(body.MaxResults ?? 1000, int.MinValue, int.MaxValue),
            PageToken = body.PageToken,
        };
        query = ExperimentFilter.Apply(query, body.Filter);
        var page = await tracking.SearchExperimentsAsync(query, ct);
        return MlflowJson.Ok(new { experiments = page.Items.Select(MlflowMapping.ToMlflow).ToArray(), next_page_token = page.NextPageToken });
    }
}
