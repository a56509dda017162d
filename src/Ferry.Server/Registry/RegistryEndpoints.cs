using Ferry.Server.Rest;
using Ferry.Storage;
using Ferry.Tracking.Registry;
using Ferry.Tracking.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Registry;

/// <summary>The model registry's management API under <c>/api/v1/registry</c>; errors are problem details.</summary>
public static class RegistryEndpoints
{
    public const string Prefix = "/api/v1/registry";

    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("registry");
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await RegistryAuth.CheckAsync(context.HttpContext, RegistryAuth.RequiredRole(context.HttpContext.Request)).ConfigureAwait(false)
                    ?? await next(context).ConfigureAwait(false);
            }
            catch (FerryException e)
            {
                return TypedResults.Problem(detail: e.Message, statusCode: OipErrors.StatusCode(e.Code));
            }
            catch (BadHttpRequestException e)
            {
                return TypedResults.Problem(detail: e.Message, statusCode: e.StatusCode);
            }
        });

        group.MapPost("/versions", RegistryUpload.RegisterAsync)
            .WithSummary("Registers a new version from an ONNX file sent as the raw body or as a multipart file part.");
        group.MapGet("/models", SearchAsync).WithSummary("Lists and searches models: name, prefix, tag (key or key=value), alias; paged.");
        group.MapGet("/models/{name}", GetModelAsync).WithSummary("A model with its versions, newest first.");
        group.MapDelete("/models/{name}", DeleteModelAsync).WithSummary("Deletes a model, its versions and their artifacts.");
        group.MapGet("/models/{name}/versions/{version:long}", GetVersionAsync);
        group.MapDelete("/models/{name}/versions/{version:long}", DeleteVersionAsync);
        group.MapGet("/models/{name}/aliases/{alias}", GetAliasAsync).WithSummary("The version an alias names.");
        group.MapPut("/models/{name}/aliases/{alias}", SetAliasAsync).WithSummary("Points an alias at a version; served at once.");
        group.MapDelete("/models/{name}/aliases/{alias}", DeleteAliasAsync);
        group.MapPut("/models/{name}/tags/{key}", SetTagAsync);
        group.MapDelete("/models/{name}/tags/{key}", DeleteTagAsync);
        group.MapGet("/models/{name}/audit", AuditAsync).WithSummary("The model's change history, newest first.");
        return app;
    }

    private static async Task<Ok<PageView<ModelView>>> SearchAsync(
        ModelRegistry registry, string? name, string? prefix, string? tag, string? alias, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var query = new ModelQuery
        {
            NameContains = name,
            NamePrefix = prefix,
            Tag = ParseTag(tag),
            Alias = alias,
            PageSize = Math.Clamp(pageSize ?? 100, 1, ModelQuery.MaxPageSize),
            PageToken = pageToken,
        };
        var page = await registry.SearchModelsAsync(query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new PageView<ModelView>(page.Items.Select(m => ModelView.Of(m)).ToArray(), page.NextPageToken));
    }

    private static async Task<Ok<ModelView>> GetModelAsync(ModelRegistry registry, string name, CancellationToken cancellationToken)
    {
        var model = await registry.GetModelAsync(name, cancellationToken).ConfigureAwait(false);
        var versions = new List<VersionView>();
        string? token = null;
        do
        {
            var page = await registry.SearchVersionsAsync(new VersionQuery { ModelName = name, PageSize = 1000, PageToken = token }, cancellationToken).ConfigureAwait(false);
            versions.AddRange(page.Items.Select(VersionView.Of));
            token = page.NextPageToken;
        }
        while (token is not null);

        return TypedResults.Ok(ModelView.Of(model, versions));
    }

    private static async Task<NoContent> DeleteModelAsync(
        ModelRegistry registry, RegistryServing serving, HttpContext http, string name, string? reason, CancellationToken cancellationToken)
    {
        await registry.DeleteModelAsync(name, Change(http, reason), cancellationToken).ConfigureAwait(false);
        await serving.SyncModelAsync(name, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<VersionView>> GetVersionAsync(ModelRegistry registry, string name, long version, CancellationToken cancellationToken) =>
        TypedResults.Ok(VersionView.Of(await registry.GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> DeleteVersionAsync(
        ModelRegistry registry, RegistryServing serving, HttpContext http, string name, long version, string? reason, CancellationToken cancellationToken)
    {
        await registry.DeleteVersionAsync(name, version, Change(http, reason), cancellationToken).ConfigureAwait(false);
        await serving.SyncModelAsync(name, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<VersionView>> GetAliasAsync(ModelRegistry registry, string name, string alias, CancellationToken cancellationToken) =>
        TypedResults.Ok(VersionView.Of(await registry.GetVersionByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<VersionView>> SetAliasAsync(
        ModelRegistry registry, RegistryServing serving, HttpContext http, string name, string alias, AliasRequest request, CancellationToken cancellationToken)
    {
        await registry.SetAliasAsync(name, alias, request.Version, Change(http, request.Reason), cancellationToken).ConfigureAwait(false);
        // Served before the answer: a client that moved the alias sees the new version on its next request.
        await serving.SyncModelAsync(name, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(VersionView.Of(await registry.GetVersionAsync(name, request.Version, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<NoContent> DeleteAliasAsync(
        ModelRegistry registry, RegistryServing serving, HttpContext http, string name, string alias, string? reason, CancellationToken cancellationToken)
    {
        await registry.DeleteAliasAsync(name, alias, Change(http, reason), cancellationToken).ConfigureAwait(false);
        await serving.SyncModelAsync(name, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SetTagAsync(ModelRegistry registry, HttpContext http, string name, string key, TagRequest request, CancellationToken cancellationToken)
    {
        await registry.SetTagAsync(name, request.Version, key, request.Value, Change(http, request.Reason), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> DeleteTagAsync(
        ModelRegistry registry, HttpContext http, string name, string key, long? version, string? reason, CancellationToken cancellationToken)
    {
        await registry.DeleteTagAsync(name, version, key, Change(http, reason), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<AuditView>>> AuditAsync(ModelRegistry registry, string name, int? limit, CancellationToken cancellationToken)
    {
        var entries = await registry.ListAuditAsync(name, Math.Clamp(limit ?? 100, 1, 10_000), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<AuditView>>(entries.Select(AuditView.Of).ToArray());
    }

    internal static ChangeContext Change(HttpContext http, string? reason) => new(RegistryAuth.Actor(http), reason);

    internal static TagFilter? ParseTag(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return null;
        }

        var equals = tag.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? new TagFilter(tag) : new TagFilter(tag[..equals], tag[(equals + 1)..]);
    }
}
