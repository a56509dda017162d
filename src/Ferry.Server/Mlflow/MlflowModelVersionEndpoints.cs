using Ferry.Server.Registry;
using Ferry.Storage;
using Ferry.Tracking.Registry;
using Ferry.Tracking.Runs;
using Ferry.Tracking.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Mlflow;

/// <summary>
/// MLflow's <c>model-versions/*</c> endpoints. <c>create</c> registers the ONNX file its <c>source</c> names among the
/// run's artifacts through <see cref="ModelRegistry"/>, so the version is the registry's own (checked by ONNX Runtime,
/// served, with lineage to the run and the run's datasets).
/// </summary>
internal static class MlflowModelVersionEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/model-versions/create", CreateAsync);
        group.MapGet("/model-versions/get", GetAsync);
        group.MapGet("/model-versions/search", SearchAsync);
        group.MapPost("/model-versions/search", SearchAsync);
        group.MapMethods("/model-versions/update", [HttpMethods.Patch, HttpMethods.Post], UpdateAsync);
        group.MapDelete("/model-versions/delete", DeleteAsync);
        group.MapGet("/model-versions/get-download-uri", DownloadUriAsync);
        group.MapPost("/model-versions/set-tag", SetTagAsync);
        group.MapDelete("/model-versions/delete-tag", DeleteTagAsync);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, ModelRegistry registry, RegistryServing serving, RunArtifacts artifacts, RegistryBackend backend, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        var source = MlflowRequest.Required(body.Source, "source");
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in MlflowMapping.Pairs(body.Tags))
        {
            RegistryNames.CheckTag(key, value);
            tags[key] = value;
        }

        await registry.GetModelAsync(name, ct);
        var artifact = await artifacts.ResolveModelSourceAsync(source, ct);
        var runId = string.IsNullOrEmpty(body.RunId) ? artifact.RunId : body.RunId;
        var run = await registry.Store.Tracking.GetRunAsync(runId, ct)
            ?? throw FerryException.Invalid($"Invalid value '{runId}' for parameter 'run_id': the run does not exist");
        tags[MlflowRegistryMapping.SourceTag] = source;

        // The registry checks and stores a file; the blob is copied out once and the copy removed.
        var spool = Path.Combine(backend.Home, "tmp", "uploads");
        Directory.CreateDirectory(spool);
        var path = Path.Combine(spool, Guid.NewGuid().ToString("N") + ".onnx");
        try
        {
            var (_, content) = await artifacts.OpenAsync(artifact.RunId, artifact.Path, ct);
            await using (content)
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
            }

            var record = await registry.RegisterAsync(new ModelRegistration
            {
                ModelName = name,
                ArtifactPath = path,
                Description = body.Description,
                SourceRunId = run.RunId,
                DatasetVersionIds = run.Inputs.Select(i => i.Dataset.Id).Distinct().ToArray(),
                Tags = tags,
            }, RegistryEndpoints.Change(http, null), ct);
            await serving.SyncModelAsync(name, ct);
            return MlflowJson.Ok(new { model_version = MlflowRegistryMapping.ToMlflow(record) });
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<IResult> GetAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var (name, version) = await NameAndVersionAsync(http, ct);
        return MlflowJson.Ok(new { model_version = MlflowRegistryMapping.ToMlflow(await registry.GetVersionAsync(name, version, ct)) });
    }

    private static async Task<IResult> SearchAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var query = MlflowRegistryFilter.Versions(await MlflowRequest.ReadAsync(http.Request, ct));
        var page = await registry.SearchVersionsAsync(query, ct);
        var versions = new List<MlflowModelVersion>(page.Items.Count);
        foreach (var version in page.Items)
        {
            versions.Add(MlflowRegistryMapping.ToMlflow(version));
        }

        return MlflowJson.Ok(new { model_versions = versions, next_page_token = page.NextPageToken });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        var version = MlflowRegistryMapping.ParseVersion(body.Version);
        await registry.UpdateVersionDescriptionAsync(name, version, body.Description, RegistryEndpoints.Change(http, null), ct);
        return MlflowJson.Ok(new { model_version = MlflowRegistryMapping.ToMlflow(await registry.GetVersionAsync(name, version, ct)) });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, ModelRegistry registry, RegistryServing serving, CancellationToken ct)
    {
        var (name, version) = await NameAndVersionAsync(http, ct);
        await registry.DeleteVersionAsync(name, version, RegistryEndpoints.Change(http, null), ct);
        await serving.SyncModelAsync(name, ct);
        return MlflowJson.Empty();
    }

    private static async Task<IResult> DownloadUriAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var (name, version) = await NameAndVersionAsync(http, ct);
        var record = await registry.GetVersionAsync(name, version, ct);
        return MlflowJson.Ok(new { artifact_uri = MlflowRegistryMapping.Source(record) });
    }

    private static async Task<IResult> SetTagAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        var version = MlflowRegistryMapping.ParseVersion(body.Version);
        var key = MlflowRequest.Required(body.Key, "key");
        await registry.GetVersionAsync(name, version, ct);
        await registry.SetTagAsync(name, version, key, body.Value ?? throw FerryException.Invalid("Missing value for required parameter 'value'."),
            RegistryEndpoints.Change(http, null), ct);
        return MlflowJson.Empty();
    }

    private static async Task<IResult> DeleteTagAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        var version = MlflowRegistryMapping.ParseVersion(body.Version);
        await registry.DeleteTagAsync(name, version, MlflowRequest.Required(body.Key, "key"), RegistryEndpoints.Change(http, null), ct);
        return MlflowJson.Empty();
    }

    private static async Task<(string Name, long Version)> NameAndVersionAsync(HttpContext http, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        return (MlflowRequest.Required(body.Name, "name"), MlflowRegistryMapping.ParseVersion(body.Version));
    }
}
