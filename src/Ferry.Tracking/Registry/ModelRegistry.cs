using Ferry.Inference.Models;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Ferry.Tracking.Registry;

/// <summary>
/// The model registry: registered models, their immutable versions, aliases and tags, with an audit entry for
/// every change. Each write is one metadata transaction; artifacts live in the blob store by digest.
/// </summary>
/// <remarks>
/// Blob lifetime: a registration stores its blob before committing the version that references it, and a delete
/// removes a blob only after committing, once no version references it. <see cref="_blobGate"/> keeps the two from
/// interleaving in this process (a delete could otherwise remove a blob that a registration of the same bytes is
/// about to reference). Replicas sharing one blob store need a sweep with a grace period instead.
/// </remarks>
public sealed class ModelRegistry(IMetadataStore store, IBlobStore blobs, TimeProvider time, ILogger<ModelRegistry> logger)
{
    private readonly SemaphoreSlim _blobGate = new(1, 1);

    public IMetadataStore Store => store;

    /// <summary>
    /// Checks that ONNX Runtime loads the file, stores it, and adds the next version of the model (creating the model
    /// when needed). A file that does not load is refused with InvalidArgument and nothing is stored.
    /// </summary>
    public async Task<ModelVersionRecord> RegisterAsync(ModelRegistration registration, ChangeContext change, CancellationToken cancellationToken)
    {
        RegistryNames.CheckModel(registration.ModelName);
        foreach (var (key, value) in registration.Tags)
        {
            RegistryNames.CheckTag(key, value);
        }

        await CheckNotDeploymentAsync(registration.ModelName, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(registration.ArtifactPath))
        {
            throw FerryException.Invalid($"model '{registration.ModelName}': the artifact {registration.ArtifactPath} does not exist");
        }

        ModelSignature signature;
        try
        {
            signature = OnnxModelInspector.ReadSignature($"model '{registration.ModelName}'", registration.ArtifactPath);
        }
        catch (FerryException e)
        {
            RegistryLog.Refused(logger, registration.ModelName, registration.ArtifactPath, e.Message);
            throw;
        }

        await _blobGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            BlobInfo blob;
            await using (var content = File.OpenRead(registration.ArtifactPath))
            {
                blob = await blobs.PutAsync(content, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var record = await AddVersionAsync(registration, signature, blob, change, cancellationToken).ConfigureAwait(false);
                RegistryLog.Registered(logger, record.ModelName, record.Version, record.SizeBytes, record.BlobDigest, change.Actor);
                return record;
            }
            catch
            {
                // Leave nothing behind: the blob goes unless an earlier version already holds the same bytes.
                await DeleteBlobIfUnreferencedAsync(blob.Digest, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _blobGate.Release();
        }
    }

    public async Task<RegisteredModel> CreateModelAsync(string name, string? description, ChangeContext change, CancellationToken cancellationToken)
    {
        RegistryNames.CheckModel(name);
        await CheckNotDeploymentAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        var model = await tx.CreateModelAsync(name, description, now, cancellationToken).ConfigureAwait(false);
        await tx.AppendAuditAsync(Audit(name, null, AuditAction.ModelCreated, null, change, now), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return model;
    }

    public async Task UpdateDescriptionAsync(string name, string? description, ChangeContext change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        if (!await tx.UpdateModelDescriptionAsync(name, description, now, cancellationToken).ConfigureAwait(false))
        {
            throw FerryException.NotFound($"model '{name}' does not exist");
        }

        await tx.AppendAuditAsync(Audit(name, null, AuditAction.ModelUpdated, "description", change, now), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateVersionDescriptionAsync(string name, long version, string? description, ChangeContext change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        if (!await tx.UpdateVersionDescriptionAsync(name, version, description, now, cancellationToken).ConfigureAwait(false))
        {
            throw FerryException.NotFound($"model '{name}' has no version {version}");
        }

        await tx.AppendAuditAsync(Audit(name, version, AuditAction.VersionUpdated, "description", change, now), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<RegisteredModel> GetModelAsync(string name, CancellationToken cancellationToken) =>
        await store.GetModelAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"model '{name}' does not exist");

    public async Task<ModelVersionRecord> GetVersionAsync(string name, long version, CancellationToken cancellationToken) =>
        await store.GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"model '{name}' has no version {version}");

    public async Task<ModelVersionRecord> GetVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken) =>
        await store.GetVersionByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"model '{name}' has no alias '{alias}'");

    public Task<Page<RegisteredModel>> SearchModelsAsync(ModelQuery query, CancellationToken cancellationToken) =>
        store.SearchModelsAsync(query, cancellationToken);

    public Task<Page<ModelVersionRecord>> SearchVersionsAsync(VersionQuery query, CancellationToken cancellationToken) =>
        store.SearchVersionsAsync(query, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string name, int limit, CancellationToken cancellationToken) =>
        store.ListAuditAsync(name, limit, cancellationToken);

    /// <summary>Opens the version's artifact; the stream fails at its end if the bytes no longer match the digest.</summary>
    public async Task<Stream> OpenArtifactAsync(string name, long version, CancellationToken cancellationToken)
    {
        var record = await GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        return await blobs.OpenReadAsync(record.BlobDigest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points the alias at the version, moving it from the version it named before.</summary>
    public async Task SetAliasAsync(string name, string alias, long version, ChangeContext change, CancellationToken cancellationToken)
    {
        RegistryNames.CheckAlias(alias);
        var now = time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        var previous = await tx.SetAliasAsync(name, alias, version, now, cancellationToken).ConfigureAwait(false);
        var detail = previous is { } p ? $"{alias}: {p} -> {version}" : $"{alias}: -> {version}";
        await tx.AppendAuditAsync(Audit(name, version, AuditAction.AliasSet, detail, change, now), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        RegistryLog.AliasMoved(logger, alias, name, previous, version, change.Actor);
    }

    public async Task DeleteAliasAsync(string name, string alias, ChangeContext change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        var previous = await tx.DeleteAliasAsync(name, alias, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"model '{name}' has no alias '{alias}'");
        await tx.AppendAuditAsync(Audit(name, previous, AuditAction.AliasDeleted, $"{alias}: {previous} ->", change, now), cancellationToken)
            .ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        RegistryLog.AliasMoved(logger, alias, name, previous, null, change.Actor);
    }

    /// <summary>Sets a tag on the model, or on one of its versions when <paramref name="version"/> is given.</summary>
    public async Task SetTagAsync(string name, long? version, string key, string value, ChangeContext change, CancellationToken cancellationToken)
    {
        RegistryNames.CheckTag(key, value);
        var now = time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        await tx.SetTagAsync(name, version, key, value, cancellationToken).ConfigureAwait(false);
        await tx.AppendAuditAsync(Audit(name, version, AuditAction.TagSet, $"{key}={value}", change, now), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteTagAsync(string name, long? version, string key, ChangeContext change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        if (!await tx.DeleteTagAsync(name, version, key, cancellationToken).ConfigureAwait(false))
        {
            throw FerryException.NotFound($"model '{name}'{(version is { } v ? $" version {v}" : "")} has no tag '{key}'");
        }

        await tx.AppendAuditAsync(Audit(name, version, AuditAction.TagDeleted, key, change, now), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the version, the aliases on it, and its artifact when no other version holds the same bytes.</summary>
    public async Task DeleteVersionAsync(string name, long version, ChangeContext change, CancellationToken cancellationToken)
    {
        await _blobGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            ModelVersionRecord deleted;
            await using (var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false))
            {
                deleted = await tx.DeleteVersionAsync(name, version, cancellationToken).ConfigureAwait(false)
                    ?? throw FerryException.NotFound($"model '{name}' has no version {version}");
                foreach (var alias in deleted.Aliases)
                {
                    await tx.AppendAuditAsync(Audit(name, version, AuditAction.AliasDeleted, $"{alias}: {version} ->", change, now), cancellationToken)
                        .ConfigureAwait(false);
                }

                await tx.AppendAuditAsync(Audit(name, version, AuditAction.VersionDeleted, deleted.BlobDigest, change, now), cancellationToken)
                    .ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            var removed = await DeleteBlobIfUnreferencedAsync(deleted.BlobDigest, cancellationToken).ConfigureAwait(false);
            RegistryLog.VersionDeleted(logger, name, version, change.Actor, deleted.BlobDigest, removed ? "deleted" : "kept (still referenced)");
        }
        finally
        {
            _blobGate.Release();
        }
    }

    /// <summary>Deletes the model with all its versions, then every blob that only those versions held.</summary>
    public async Task DeleteModelAsync(string name, ChangeContext change, CancellationToken cancellationToken)
    {
        await _blobGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<string> digests;
            await using (var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false))
            {
                digests = await tx.DeleteModelAsync(name, cancellationToken).ConfigureAwait(false)
                    ?? throw FerryException.NotFound($"model '{name}' does not exist");
                await tx.AppendAuditAsync(Audit(name, null, AuditAction.ModelDeleted, null, change, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var digest in digests)
            {
                await DeleteBlobIfUnreferencedAsync(digest, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _blobGate.Release();
        }
    }

    /// <summary>
    /// A new model may not take a deployment's name: registry serving publishes every model under its name at
    /// <c>/v2/models/NAME</c>, where the deployment already answers. (Deployments refuse model names the same way.)
    /// </summary>
    private async Task CheckNotDeploymentAsync(string name, CancellationToken cancellationToken)
    {
        if (await store.GetModelAsync(name, cancellationToken).ConfigureAwait(false) is null
            && await store.Deployments.GetAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new FerryException(
                ErrorCode.AlreadyExists, $"model '{name}': the name is taken by deployment '{name}', which is served at /v2/models/{name}; pick another name");
        }
    }

    private async Task<ModelVersionRecord> AddVersionAsync(
        ModelRegistration registration, ModelSignature signature, BlobInfo blob, ChangeContext change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var name = registration.ModelName;
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        if (await tx.CreateModelIfMissingAsync(name, now, cancellationToken).ConfigureAwait(false))
        {
            await tx.AppendAuditAsync(Audit(name, null, AuditAction.ModelCreated, null, change, now), cancellationToken).ConfigureAwait(false);
        }

        var record = await tx.AddVersionAsync(new NewModelVersion
        {
            ModelName = name,
            BlobDigest = blob.Digest,
            SizeBytes = blob.SizeBytes,
            Signature = signature,
            Description = registration.Description,
            SourceRunId = registration.SourceRunId,
            DatasetVersionIds = registration.DatasetVersionIds,
            Tags = registration.Tags,
            CreatedAt = now,
            CreatedBy = change.Actor,
        }, cancellationToken).ConfigureAwait(false);
        await tx.AppendAuditAsync(Audit(name, record.Version, AuditAction.VersionCreated, blob.Digest, change, now), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    private async Task<bool> DeleteBlobIfUnreferencedAsync(string digest, CancellationToken cancellationToken) =>
        await store.CountBlobReferencesAsync(digest, cancellationToken).ConfigureAwait(false) == 0
            && await blobs.DeleteAsync(digest, cancellationToken).ConfigureAwait(false);

    private static AuditEntry Audit(string model, long? version, AuditAction action, string? detail, ChangeContext change, DateTimeOffset at) =>
        new() { ModelName = model, Version = version, Action = action, Detail = detail, Actor = change.Actor, Reason = change.Reason, At = at };
}
