using Ferry.Server.Registry;
using Ferry.Tracking.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Mlflow;

/// <summary>
/// Run artifacts through MLflow's artifact proxy (<c>/api/2.0/mlflow-artifacts/artifacts/&lt;experiment&gt;/&lt;run&gt;/artifacts/&lt;path&gt;</c>,
/// what MLflow clients call for a <c>mlflow-artifacts:/</c> artifact URI) and <c>/api/2.0/mlflow/artifacts/list</c>.
/// Bytes go to the blob store; the same bytes registered as a model version are stored once.
/// </summary>
internal static class MlflowArtifactEndpoints
{
    public const string ProxyPrefix = "/api/2.0/mlflow-artifacts";

    public static void MapProxy(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(ProxyPrefix).RequireToken(MlflowRegistryEndpoints.Role, MlflowRegistryEndpoints.Refusal);
        group.AddEndpointFilter<MlflowErrors>();
        group.MapPut("/artifacts/{**path}", UploadAsync);
        group.MapGet("/artifacts/{**path}", DownloadOrListAsync);
    }

    public static void MapList(RouteGroupBuilder group) =>
        group.MapGet("/artifacts/list", async (string? run_id, string? run_uuid, string? path, RunArtifacts artifacts, TrackingService tracking, CancellationToken ct) =>
        {
            var run = await tracking.GetRunAsync(run_id ?? run_uuid, ct);
            var entries = await artifacts.ListAsync(run.RunId, path, ct);
            return MlflowJson.Ok(new { root_uri = run.ArtifactUri, files = entries.Select(e => new { path = e.Path, is_dir = e.IsDir, file_size = e.FileSize }).ToArray() });
        });

    private static async Task<IResult> UploadAsync(HttpContext http, string? path, RunArtifacts artifacts, RegistryOptions options, CancellationToken ct)
    {
        var (runId, artifactPath) = Split(path);
        if (artifactPath.Length == 0)
        {
            throw FerryException.Invalid($"Invalid value '{path}' for parameter 'path': name a file under <experiment_id>/<run_id>/artifacts/");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The server-wide limit is sized for inference requests; a model file may be larger.
            limit.MaxRequestBodySize = options.MaxUploadBytes;
        }

        await artifacts.PutAsync(runId, artifactPath, http.Request.Body, ct);
        return MlflowJson.Empty();
    }

    private static async Task<IResult> DownloadOrListAsync(HttpContext http, string? path, RunArtifacts artifacts, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(path))
        {
            // GET .../artifacts?path=<experiment>/<run>/artifacts/<folder> lists one level, with base names as MLflow's proxy does.
            var (listRun, folder) = Split(http.Request.Query["path"].ToString());
            var entries = await artifacts.ListAsync(listRun, folder, ct);
            return MlflowJson.Ok(new
            {
                files = entries.Select(e => new { path = e.Path[(e.Path.LastIndexOf('/') + 1)..], is_dir = e.IsDir, file_size = e.FileSize }).ToArray(),
            });
        }

        var (runId, artifactPath) = Split(path);
        var (artifact, content) = await artifacts.OpenAsync(runId, artifactPath, ct);
        http.Response.ContentLength = artifact.SizeBytes;
        return Results.Stream(content, "application/octet-stream");
    }

    /// <summary><c>&lt;experiment&gt;/&lt;run&gt;/artifacts/&lt;path&gt;</c> into the run and the path inside it.</summary>
    private static (string RunId, string Path) Split(string? path)
    {
        var segments = (path ?? "").Trim('/').Split('/');
        return segments is [_, { Length: > 0 } run, "artifacts", ..]
            ? (run, string.Join('/', segments[3..]))
            : throw FerryException.Invalid($"Invalid value '{path}' for parameter 'path': expected <experiment_id>/<run_id>/artifacts/<path>");
    }
}
