using System.Text.Json;
using Ferry.Inference.Models;
using Ferry.Server.Registry;
using Ferry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Rest;

/// <summary>Triton's model repository extension: index, load and unload.</summary>
public static class RepositoryEndpoints
{
    public static IEndpointRouteBuilder MapModelRepository(this IEndpointRouteBuilder app)
    {
        // The index is a read (a POST in the protocol); loading and unloading change what is served. Refusals come in
        // the protocol's error shape.
        var repository = app.MapGroup("/v2/repository").RequireToken(
            request => request.Path.Value?.EndsWith("/index", StringComparison.Ordinal) == true ? TokenRole.Reader : TokenRole.Writer,
            (status, detail) => TypedResults.Json(new ErrorBody(detail), RestJson.Relaxed.ErrorBody, statusCode: status));
        repository.MapPost("/index", async (HttpRequest request, ModelManager models, CancellationToken ct) =>
        {
            var body = await ReadOptionalAsync(request, RestJson.Relaxed.RepositoryIndexRequest, ct);
            var entries = models.Index(body?.Ready ?? false)
                .Select(e => new RepositoryIndexEntry(e.Name, e.Version, e.State.ToProtocolName(), e.Reason))
                .ToArray();
            return TypedResults.Json<IReadOnlyList<RepositoryIndexEntry>>(entries, RestJson.Relaxed.IReadOnlyListRepositoryIndexEntry);
        });
        repository.MapPost("/models/{name}/load", async (string name, HttpRequest request, ModelManager models, CancellationToken ct) =>
        {
            await RefuseParametersAsync(request, ct);
            await models.LoadAsync(name, ct);
            return TypedResults.Ok();
        });
        repository.MapPost("/models/{name}/unload", async (string name, HttpRequest request, ModelManager models, CancellationToken ct) =>
        {
            await RefuseParametersAsync(request, ct);
            await models.UnloadAsync(name, ct);
            return TypedResults.Ok();
        });
        return app;
    }

    private static async Task<T?> ReadOptionalAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type);
        }
        catch (JsonException e)
        {
            throw FerryException.Invalid($"malformed JSON: {e.Message}");
        }
    }

    /// <summary>A property's name; JsonElement decodes it lazily and throws InvalidOperationException for bad text.</summary>
    private static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw FerryException.Invalid("a parameter name is not valid text: invalid UTF-8 or an unpaired surrogate escape");
        }
    }

    /// <summary>Load and unload take no parameters here (no config override, no file upload): say so rather than ignore them.</summary>
    private static async Task RefuseParametersAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await ReadOptionalAsync(request, RestJson.Relaxed.JsonElement, ct);
        if (body.ValueKind == JsonValueKind.Undefined)
        {
            return;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw FerryException.Invalid("the body must be a JSON object");
        }

        if (body.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in parameters.EnumerateObject())
            {
                var name = NameOf(property);
                if (name != "unload_dependents")
                {
                    throw FerryException.Invalid($"parameter '{name}' is not supported; load reads the model from its repository folder");
                }
            }
        }
    }
}
