using System.Text.Json.Nodes;
using Ferry.Server.Mlflow;
using Ferry.Server.Registry;
using Ferry.Tracking.Lineage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Tracking;

/// <summary>
/// Lineage: up from a model version to its run and datasets (and the batch runs that used it), down from a dataset
/// version to runs and models.
/// </summary>
public static class LineageEndpoints
{
    public static IEndpointRouteBuilder MapLineage(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/lineage").RequireToken();
        group.AddEndpointFilter<ProblemErrors>();
        group.MapGet("/model-versions/{name}/{version:long}", async (string name, long version, LineageService lineage, CancellationToken ct) =>
        {
            var up = await lineage.UpstreamAsync(name, version, ct);
            return Results.Ok(new JsonObject
            {
                ["model_version"] = new JsonObject { ["name"] = up.ModelName, ["version"] = up.Version, ["source_run_id"] = up.SourceRunId },
                ["run"] = up.Run is null ? null : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(MlflowMapping.Info(up.Run), MlflowJson.Options)),
                ["datasets"] = Datasets(up.Datasets),
                ["used_by"] = new JsonArray(up.UsedBy.Select(u => (JsonNode)new JsonObject
                {
                    ["run"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(MlflowMapping.Info(u.Run), MlflowJson.Options)),
                    ["datasets"] = Datasets(u.Datasets),
                }).ToArray()),
            });
        });
        group.MapGet("/datasets/{name}/{version:long}", async (string name, long version, LineageService lineage, CancellationToken ct) =>
        {
            var down = await lineage.DownstreamAsync(name, version, ct);
            return Results.Ok(new JsonObject
            {
                ["dataset"] = new JsonObject { ["id"] = down.Dataset.Id, ["name"] = down.Dataset.Name, ["version"] = down.Dataset.Version, ["digest"] = down.Dataset.Digest },
                ["runs"] = new JsonArray(down.Runs.Select(r => (JsonNode)new JsonObject { ["run_id"] = r.RunId, ["context"] = r.Context }).ToArray()),
                ["model_versions"] = new JsonArray(down.ModelVersions.Select(m => (JsonNode)new JsonObject
                {
                    ["name"] = m.ModelName, ["version"] = m.Version, ["source_run_id"] = m.SourceRunId,
                }).ToArray()),
            });
        });
        return app;
    }

    private static JsonArray Datasets(IReadOnlyList<LineageDataset> datasets) => new(datasets.Select(d => (JsonNode)new JsonObject
    {
        ["id"] = d.Id,
        ["context"] = d.Context,
        ["name"] = d.Dataset?.Name,
        ["version"] = d.Dataset?.Version,
        ["digest"] = d.Dataset?.Digest,
    }).ToArray());
}
