using Ferry.Tracking.Registry;
using Ferry.Tracking.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Ferry.Server.Registry;

/// <summary>
/// <c>POST /api/v1/registry/versions?name=N</c>: the ONNX file arrives as the raw body or as the first file part of
/// a multipart form, is streamed to a file inside the home folder (never held in memory), then registered.
/// </summary>
/// <remarks>
/// Everything that can be refused without the bytes (name, tags, alias, declared size) is refused before reading
/// them; the registry then refuses a file ONNX Runtime cannot load before it stores anything.
/// </remarks>
public static class RegistryUpload
{
    public static async Task<Created<VersionView>> RegisterAsync(
        HttpContext http, ModelRegistry registry, RegistryServing serving, RegistryBackend backend, RegistryOptions options,
        string? name, string? alias, string? run, [FromQuery] string[]? dataset, [FromQuery] string[]? tag, string? description, string? reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw FerryException.Invalid("the query parameter 'name' is required");
        }

        RegistryNames.CheckModel(name);
        if (alias is not null)
        {
            RegistryNames.CheckAlias(alias);
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in tag ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw FerryException.Invalid($"tag '{pair}' must be key=value");
            }

            tags[pair[..equals]] = pair[(equals + 1)..];
            RegistryNames.CheckTag(pair[..equals], pair[(equals + 1)..]);
        }

        if (http.Request.ContentLength > options.MaxUploadBytes)
        {
            throw TooLarge(options);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The server-wide limit is sized for inference requests; a model file may be larger.
            limit.MaxRequestBodySize = options.MaxUploadBytes;
        }

        var spool = Path.Combine(backend.Home, "tmp", "uploads");
        Directory.CreateDirectory(spool);
        var path = Path.Combine(spool, Guid.NewGuid().ToString("N") + ".onnx");
        try
        {
            await SpoolAsync(http.Request, path, options, cancellationToken).ConfigureAwait(false);
            var change = RegistryEndpoints.Change(http, reason);
            var record = await registry.RegisterAsync(new ModelRegistration
            {
                ModelName = name,
                ArtifactPath = path,
                Description = description,
                SourceRunId = run,
                DatasetVersionIds = dataset ?? [],
                Tags = tags,
            }, change, cancellationToken).ConfigureAwait(false);
            if (alias is not null)
            {
                await registry.SetAliasAsync(name, alias, record.Version, change, cancellationToken).ConfigureAwait(false);
                await serving.SyncModelAsync(name, cancellationToken).ConfigureAwait(false);
                record = await registry.GetVersionAsync(name, record.Version, cancellationToken).ConfigureAwait(false);
            }

            return TypedResults.Created($"{RegistryEndpoints.Prefix}/models/{name}/versions/{record.Version}", VersionView.Of(record));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task SpoolAsync(HttpRequest request, string path, RegistryOptions options, CancellationToken cancellationToken)
    {
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            await CopyBoundedAsync(request.Body, target, options, cancellationToken).ConfigureAwait(false);
            return;
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw FerryException.Invalid("the multipart body has no boundary");
        }

        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
            {
                await CopyBoundedAsync(section.Body, target, options, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        throw FerryException.Invalid("the multipart body has no file part");
    }

    private static async Task CopyBoundedAsync(Stream source, Stream target, RegistryOptions options, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > options.MaxUploadBytes)
            {
                // A body sent without Content-Length (chunked) is counted here.
                throw TooLarge(options);
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        if (total == 0)
        {
            throw FerryException.Invalid("the upload is empty: send the ONNX file as the body or as a multipart file part");
        }
    }

    private static FerryException TooLarge(RegistryOptions options) =>
        new(ErrorCode.PayloadTooLarge, $"the model file is larger than the upload limit of {options.MaxUploadBytes} bytes");
}
