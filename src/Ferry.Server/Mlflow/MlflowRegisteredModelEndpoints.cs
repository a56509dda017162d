using Ferry.Server.Registry;
using Ferry.Storage;
using Ferry.Tracking.Registry;
using Ferry.Tracking.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Mlflow;

/// <summary>
/// MLflow's <c>registered-models/*</c> endpoints over <see cref="ModelRegistry"/>: the same models, aliases and tags that
/// <c>/api/v1/registry</c> shows. Alias changes are served before the answer, as there.
/// </summary>
internal static class MlflowRegisteredModelEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/registered-models/create", CreateAsync);
        group.MapGet("/registered-models/get", GetAsync);
        group.MapGet("/registered-models/search", SearchAsync);
        group.MapPost("/registered-models/search", SearchAsync);
        group.MapMethods("/registered-models/update", [HttpMethods.Patch, HttpMethods.Post], UpdateAsync);
        group.MapDelete("/registered-models/delete", DeleteAsync);
        group.MapPost("/registered-models/get-latest-versions", LatestVersionsAsync);
        group.MapGet("/registered-models/get-latest-versions", LatestVersionsAsync);
        group.MapPost("/registered-models/set-tag", SetTagAsync);
        group.MapDelete("/registered-models/delete-tag", DeleteTagAsync);
        group.MapPost("/registered-models/alias", SetAliasAsync);
        group.MapDelete("/registered-models/alias", DeleteAliasAsync);
        group.MapGet("/registered-models/alias", GetByAliasAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        var tags = MlflowMapping.Pairs(body.Tags);
        foreach (var (key, value) in tags)
        {
            RegistryNames.CheckTag(key, value);
        }

        if (await registry.Store.GetModelAsync(name, ct) is not null)
        {
            throw new FerryException(ErrorCode.AlreadyExists, $"Registered Model (name={name}) already exists.");
        }

        var change = RegistryEndpoints.Change(http, null);
        await registry.CreateModelAsync(name, body.Description, change, ct);
        foreach (var (key, value) in tags)
        {
            await registry.SetTagAsync(name, null, key, value, change, ct);
        }

        return MlflowJson.Ok(new { registered_model = await ViewAsync(registry, name, ct) });
    }

    private static async Task<IResult> GetAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        return MlflowJson.Ok(new { registered_model = await ViewAsync(registry, MlflowRequest.Required(body.Name, "name"), ct) });
    }

    private static async Task<IResult> SearchAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var (query, exact) = MlflowRegistryFilter.Models(body);
        if (exact is not null)
        {
            // One name: the model or nothing, whatever the other clauses say when they disagree with it.
            var model = await registry.Store.GetModelAsync(exact, ct);
            var matches = model is not null && (query.NamePrefix is null || exact.StartsWith(query.NamePrefix, StringComparison.Ordinal))
                && (query.NameContains is null || exact.Contains(query.NameContains, StringComparison.Ordinal))
                && (query.Tag is null || (model.Tags.TryGetValue(query.Tag.Key, out var v) && v == query.Tag.Value))
                && body.PageToken is null;
            var found = matches ? new[] { MlflowRegistryMapping.ToMlflow(model!, await LatestAsync(registry, exact, ct)) } : [];
            return MlflowJson.Ok(new { registered_models = found });
        }

        var page = await registry.SearchModelsAsync(query, ct);
        var models = new List<MlflowRegisteredModel>(page.Items.Count);
        foreach (var model in page.Items)
        {
            models.Add(MlflowRegistryMapping.ToMlflow(model, await LatestAsync(registry, model.Name, ct)));
        }

        return MlflowJson.Ok(new { registered_models = models, next_page_token = page.NextPageToken });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        await registry.UpdateDescriptionAsync(name, body.Description, RegistryEndpoints.Change(http, null), ct);
        return MlflowJson.Ok(new { registered_model = await ViewAsync(registry, name, ct) });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, ModelRegistry registry, RegistryServing serving, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        await registry.DeleteModelAsync(name, RegistryEndpoints.Change(http, null), ct);
        await serving.SyncModelAsync(name, ct);
        return MlflowJson.Empty();
    }

    private static async Task<IResult> LatestVersionsAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        await registry.GetModelAsync(name, ct);

        // Versions have no stages here (all are "None"): asking for other stages finds nothing, as in MLflow.
        var stages = body.Stages ?? [];
        var wantsNone = stages.Count == 0 || stages.Any(s => string.Equals(s, MlflowRegistryMapping.NoStage, StringComparison.OrdinalIgnoreCase));
        var latest = wantsNone ? await LatestAsync(registry, name, ct) : null;
        return MlflowJson.Ok(new { model_versions = latest is null ? [] : new[] { MlflowRegistryMapping.ToMlflow(latest) } });
    }

    private static async Task<IResult> SetTagAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        var key = MlflowRequest.Required(body.Key, "key");
        await registry.GetModelAsync(name, ct);
        await registry.SetTagAsync(name, null, key, body.Value ?? throw FerryException.Invalid("Missing value for required parameter 'value'."),
            RegistryEndpoints.Change(http, null), ct);
        return MlflowJson.Empty();
    }

    private static async Task<IResult> DeleteTagAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        await registry.DeleteTagAsync(MlflowRequest.Required(body.Name, "name"), null, MlflowRequest.Required(body.Key, "key"), RegistryEndpoints.Change(http, null), ct);
        return MlflowJson.Empty();
    }

    private static async Task<IResult> SetAliasAsync(HttpContext http, ModelRegistry registry, RegistryServing serving, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        var alias = MlflowRequest.Required(body.Alias, "alias");
        var version = MlflowRegistryMapping.ParseVersion(body.Version);
        await registry.GetVersionAsync(name, version, ct);
        await registry.SetAliasAsync(name, alias, version, RegistryEndpoints.Change(http, null), ct);
        await serving.SyncModelAsync(name, ct);
        return MlflowJson.Empty();
    }

    private static async Task<IResult> DeleteAliasAsync(HttpContext http, ModelRegistry registry, RegistryServing serving, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var name = MlflowRequest.Required(body.Name, "name");
        await registry.DeleteAliasAsync(name, MlflowRequest.Required(body.Alias, "alias"), RegistryEndpoints.Change(http, null), ct);
        await serving.SyncModelAsync(name, ct);
        return MlflowJson.Empty();
    }

    private static async Task<IResult> GetByAliasAsync(HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var body = await MlflowRequest.ReadAsync(http.Request, ct);
        var version = await registry.GetVersionByAliasAsync(MlflowRequest.Required(body.Name, "name"), MlflowRequest.Required(body.Alias, "alias"), ct);
        return MlflowJson.Ok(new { model_version = MlflowRegistryMapping.ToMlflow(version) });
    }

    internal static async Task<MlflowRegisteredModel> ViewAsync(ModelRegistry registry, string name, CancellationToken ct)
    {
        var model = await registry.GetModelAsync(name, ct);
        return MlflowRegistryMapping.ToMlflow(model, await LatestAsync(registry, name, ct));
    }

    private static async Task<ModelVersionRecord?> LatestAsync(ModelRegistry registry, string name, CancellationToken ct)
    {
        var page = await registry.SearchVersionsAsync(new VersionQuery { ModelName = name, PageSize = 1 }, ct);
        return page.Items.Count == 0 ? null : page.Items[0];
    }
}
