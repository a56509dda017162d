using System.Collections.Concurrent;
using Ferry.Inference.Models;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Ferry.Tracking.Serving;

/// <summary>
/// Serves registered models through the <see cref="ModelManager"/>: every version that holds an alias is loaded,
/// and the default alias (<c>champion</c>) answers requests that name no version.
/// </summary>
/// <remarks>
/// Only aliased versions are loaded so that memory follows what is meant to serve, not how many versions were ever
/// registered; a version is served by giving it an alias (<c>staging</c>, <c>candidate</c>...). Moving an alias
/// publishes a new set of versions to the manager, which loads the new one, swaps its snapshot and retires the old
/// one once its requests in flight finish. The registry is read on every change made in this process and by a
/// polling loop for changes made by other replicas; when the store is down the versions loaded keep serving.
/// </remarks>
public sealed partial class RegistryServing
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, string> _published = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shadowed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, long Version), string> _digests = new();
    private readonly IMetadataStore _store;
    private readonly ModelManager _models;
    private readonly ArtifactCache _cache;
    private readonly RegistryServingOptions _options;
    private readonly ILogger<RegistryServing> _logger;

    public RegistryServing(IMetadataStore store, IBlobStore blobs, ModelManager models, RegistryServingOptions options, ILogger<RegistryServing> logger)
    {
        _store = store;
        _models = models;
        _options = options;
        _logger = logger;
        _cache = new ArtifactCache(blobs, options.CacheDirectory);
    }

    public string DefaultAlias => _options.DefaultAlias;

    /// <summary>Brings one model's served versions in line with the registry, after a change made here.</summary>
    public async Task SyncModelAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var model = await _store.GetModelAsync(name, cancellationToken).ConfigureAwait(false);
            await ApplyAsync(name, model, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Brings every registered model in line with the registry, and stops serving deleted ones.</summary>
    public async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? token = null;
            do
            {
                var page = await _store.SearchModelsAsync(new ModelQuery { PageSize = ModelQuery.MaxPageSize, PageToken = token }, cancellationToken)
                    .ConfigureAwait(false);
                foreach (var model in page.Items)
                {
                    seen.Add(model.Name);
                    await ApplyAsync(model.Name, model, cancellationToken).ConfigureAwait(false);
                }

                token = page.NextPageToken;
            }
            while (token is not null);

            foreach (var gone in _published.Keys.Where(n => !seen.Contains(n)).ToArray())
            {
                await ApplyAsync(gone, null, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The local path of a registered version's ONNX file, fetched into the artifact cache if needed; null when
    /// the version does not exist. Deployments load the versions they route to from here.
    /// </summary>
    public async Task<string?> LocalPathAsync(string name, long version, CancellationToken cancellationToken)
    {
        var digest = await DigestAsync(name, version, cancellationToken).ConfigureAwait(false);
        return digest is null ? null : await _cache.GetAsync(digest, cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyAsync(string name, RegisteredModel? model, CancellationToken cancellationToken)
    {
        if (!_models.IsPublished(name) && _models.Repository.FindModel(name) is not null)
        {
            // The repository's model keeps the name; serving both under one name would be ambiguous.
            if (_shadowed.Add(name))
            {
                LogShadowed(name);
            }

            return;
        }

        var versions = model?.Aliases.Values.Distinct().Order().ToArray() ?? [];
        long? defaultVersion = model is not null && model.Aliases.TryGetValue(_options.DefaultAlias, out var d) ? d : null;
        var key = string.Join(',', versions) + "|" + defaultVersion;
        if (_published.TryGetValue(name, out var current) ? current == key : versions.Length == 0)
        {
            return;
        }

        var sources = new List<PublishedVersion>();
        foreach (var version in versions)
        {
            var digest = await DigestAsync(name, version, cancellationToken).ConfigureAwait(false);
            if (digest is null)
            {
                // Deleted since the model was read; the next sync sees the model without it.
                defaultVersion = defaultVersion == version ? null : defaultVersion;
                continue;
            }

            sources.Add(new PublishedVersion(version, await _cache.GetAsync(digest, cancellationToken).ConfigureAwait(false)));
        }

        try
        {
            await _models.PublishAsync(name, sources, defaultVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (FerryException e)
        {
            // Left unrecorded, so that the next sync tries again; the manager keeps what served before.
            LogPublishFailed(name, e.Message);
            return;
        }

        if (sources.Count == 0)
        {
            _published.Remove(name);
        }
        else
        {
            _published[name] = key;
        }

        LogPublished(name, string.Join(", ", sources.Select(s => s.Version)), defaultVersion, _options.DefaultAlias);
    }

    private async Task<string?> DigestAsync(string name, long version, CancellationToken cancellationToken)
    {
        // Versions are immutable and their numbers are never reused, so a digest once read stays true.
        if (_digests.TryGetValue((name, version), out var digest))
        {
            return digest;
        }

        var record = await _store.GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            _digests[(name, version)] = record.BlobDigest;
        }

        return record?.BlobDigest;
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Serving registered model {Model}: versions [{Versions}], {Alias} = {Default}")]
    private partial void LogPublished(string model, string versions, long? @default, string alias);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Registered model {Model} could not be served: {Reason}")]
    private partial void LogPublishFailed(string model, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Registered model {Model} is not served: a model repository has a model of the same name")]
    private partial void LogShadowed(string model);
}
