using System.Text.Json.Nodes;
using Ferry.Server.Batch;
using Ferry.Server.Registry;
using Ferry.Storage.Tracking;
using Ferry.Tracking.Datasets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Ferry.Server.Tracking;

/// <summary>
/// Dataset versions: <c>POST /api/v1/datasets</c> registers a file or folder inside <c>&lt;home&gt;/data</c> (JSON
/// body) or an uploaded file (raw body, <c>?name=&amp;filename=</c>); errors are problem details.
/// </summary>
public static class DatasetEndpoints
{
    public sealed record RegisterRequest(string? Name, string? Path);

    public static IEndpointRouteBuilder MapDatasets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/datasets").RequireToken();
        group.AddEndpointFilter<ProblemErrors>();
        group.MapPost("/", async (HttpRequest request, DatasetService datasets, IOptions<ServerOptions> server, CancellationToken ct) =>
        {
            var dataRoot = Path.Combine(server.Value.Home, "data");
            var (name, path) = request.HasJsonContentType()
                ? await FromJsonAsync(request, dataRoot, ct)
                : await SaveUploadAsync(request, dataRoot, ct);
            var (version, created) = await datasets.RegisterAsync(path, name, ct);
            var body = ToJson(version);
            body["created"] = created;
            return created ? Results.Created($"/api/v1/datasets/{version.Name}/versions/{version.Version}", body) : Results.Ok(body);
        });
        group.MapGet("/{name}/versions/{version:long}", async (string name, long version, DatasetService datasets, CancellationToken ct) =>
            Results.Ok(ToJson(await datasets.GetAsync(name, version, ct))));
        return app;
    }

    public static JsonObject ToJson(DatasetVersionRecord d) => new()
    {
        ["id"] = d.Id,
        ["name"] = d.Name,
        ["version"] = d.Version,
        ["digest"] = d.Digest,
        ["source_type"] = d.SourceType,
        ["source"] = d.Source,
        ["size_bytes"] = d.SizeBytes,
        ["row_count"] = d.RowCount,
        ["schema"] = d.SchemaJson is null ? null : JsonNode.Parse(d.SchemaJson),
        ["profile"] = d.ProfileJson is null ? null : JsonNode.Parse(d.ProfileJson),
        ["created_at"] = d.CreatedAt,
    };

    private static async Task<(string Name, string Path)> FromJsonAsync(HttpRequest request, string dataRoot, CancellationToken ct)
    {
        var body = await request.ReadFromJsonAsync<RegisterRequest>(ct) ?? throw FerryException.Invalid("expected {\"name\": ..., \"path\": ...}");
        return (body.Name ?? "", DataPaths.Resolve(dataRoot, body.Path, "path"));
    }

    /// <summary>Keeps the uploaded bytes under the data folder, one folder per upload, so the version's source stays readable.</summary>
    private static async Task<(string Name, string Path)> SaveUploadAsync(HttpRequest request, string dataRoot, CancellationToken ct)
    {
        var name = request.Query["name"].ToString();
        var fileName = Path.GetFileName(request.Query["filename"].ToString());
        if (string.IsNullOrEmpty(fileName) || Ferry.Batch.FileFormats.FromPath(fileName) is null)
        {
            throw FerryException.Invalid("an upload needs ?filename= ending in .csv, .parquet or .jsonl");
        }

        var folder = Path.Combine(dataRoot, "uploads", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        await using (var file = File.Create(path))
        {
            await request.Body.CopyToAsync(file, ct);
        }

        return (name, path);
    }
}
