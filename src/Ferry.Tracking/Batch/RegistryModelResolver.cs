using Ferry.Batch.Models;
using Ferry.Inference.Models;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Ferry.Tracking.Serving;

namespace Ferry.Tracking.Batch;

/// <summary>
/// Resolves a batch job's <c>--model</c> against the model registry: <c>NAME@ALIAS</c> through the alias,
/// <c>NAME:VERSION</c> directly, <c>NAME</c> to the newest version; the version's ONNX file comes from the blob store
/// through a verified local copy. A name the model repositories hold is taken from there, as before the registry.
/// </summary>
/// <remarks>
/// The repositories win for plain names and versions for the same reason they do in serving (a repository model
/// shadows a registered one of the same name): a job that scored a repository folder yesterday scores the same
/// folder today. Aliases only exist in the registry, so <c>NAME@ALIAS</c> always asks it.
/// </remarks>
public sealed class RegistryModelResolver : IModelResolver
{
    private readonly IMetadataStore _store;
    private readonly ArtifactCache _cache;
    private readonly ModelRepository? _repository;

    /// <param name="cacheDirectory">Where verified copies of artifacts are kept (<c>&lt;home&gt;/cache/models</c>, shared with serving).</param>
    /// <param name="repository">Model repositories to look in first; null for the registry alone.</param>
    public RegistryModelResolver(IMetadataStore store, IBlobStore blobs, string cacheDirectory, ModelRepository? repository = null)
    {
        _store = store;
        _cache = new ArtifactCache(blobs, cacheDirectory);
        _repository = repository;
    }

    /// <exception cref="FerryException">NotFound naming the model, alias or version that does not exist.</exception>
    public async Task<ResolvedModel> ResolveAsync(ModelReference reference, CancellationToken cancellationToken)
    {
        if (_repository is not null && reference.Alias is null && _repository.FindModel(reference.Name) is not null)
        {
            return await new RepositoryModelResolver(_repository).ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        }

        var model = await _store.GetModelAsync(reference.Name, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound(_repository is null
                ? $"model '{reference.Name}' is not registered"
                : $"model '{reference.Name}' is neither registered nor in the model repositories ({string.Join(", ", _repository.Roots)})");
        var record = await FindVersionAsync(model, reference, cancellationToken).ConfigureAwait(false);
        var path = await _cache.GetAsync(record.BlobDigest, cancellationToken).ConfigureAwait(false);
        return new ResolvedModel
        {
            Name = record.ModelName,
            Version = record.Version,
            Path = path,
            ModelDirectory = Path.GetDirectoryName(path)!,
            Registered = true,
            Alias = reference.Alias,
        };
    }

    private async Task<ModelVersionRecord> FindVersionAsync(RegisteredModel model, ModelReference reference, CancellationToken cancellationToken)
    {
        if (reference.Alias is { } alias)
        {
            if (!model.Aliases.TryGetValue(alias, out var aliased))
            {
                var known = model.Aliases.Count == 0 ? "it has none" : "it has " + string.Join(", ", model.Aliases.Keys.Order(StringComparer.Ordinal));
                throw FerryException.NotFound($"model '{model.Name}' has no alias '{alias}' ({known})");
            }

            return await _store.GetVersionAsync(model.Name, aliased, cancellationToken).ConfigureAwait(false)
                ?? throw FerryException.NotFound($"model '{model.Name}': alias '{alias}' names version {aliased}, which was deleted");
        }

        if (reference.Version is { } version)
        {
            return await _store.GetVersionAsync(model.Name, version, cancellationToken).ConfigureAwait(false)
                ?? throw FerryException.NotFound($"model '{model.Name}' has no version {version} (the last is {model.LastVersion})");
        }

        // Versions are listed newest first, so the first one is the latest that still exists.
        var page = await _store.SearchVersionsAsync(new VersionQuery { ModelName = model.Name, PageSize = 1 }, cancellationToken).ConfigureAwait(false);
        return page.Items.Count > 0 ? page.Items[0] : throw FerryException.NotFound($"model '{model.Name}' has no versions");
    }
}
