namespace Ferry.Storage;

/// <summary>
/// One write transaction. Methods that name a missing model or version throw a <see cref="FerryException"/>
/// NotFound; a duplicate model name throws InvalidArgument. Disposing without commit rolls everything back.
/// </summary>
public interface IMetadataTransaction : IAsyncDisposable
{
    Task<RegisteredModel> CreateModelAsync(string name, string? description, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Creates the model unless it exists; true when this call created it. Safe against a concurrent creator.</summary>
    Task<bool> CreateModelIfMissingAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True when the model existed and its description was changed.</summary>
    Task<bool> UpdateModelDescriptionAsync(string name, string? description, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes the model with its versions, tags and aliases; returns the digests its versions used, or null when there was no such model.</summary>
    Task<IReadOnlyList<string>?> DeleteModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a version under the next number of its model. Numbers grow by one per model and are never reused;
    /// concurrent transactions on the same model wait for each other rather than share a number.
    /// </summary>
    Task<ModelVersionRecord> AddVersionAsync(NewModelVersion version, CancellationToken cancellationToken);

    /// <summary>Sets a version's description (null clears it); false when there is no such version.</summary>
    Task<bool> UpdateVersionDescriptionAsync(string modelName, long version, string? description, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes a version with its tags and the aliases pointing at it; returns the deleted record or null.</summary>
    Task<ModelVersionRecord?> DeleteVersionAsync(string modelName, long version, CancellationToken cancellationToken);

    /// <summary>Points the alias at a version (one version per alias); returns the version it pointed at before.</summary>
    Task<long?> SetAliasAsync(string modelName, string alias, long version, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Returns the version the alias pointed at, or null when there was no such alias.</summary>
    Task<long?> DeleteAliasAsync(string modelName, string alias, CancellationToken cancellationToken);

    /// <summary>Sets a tag on the model, or on one version when <paramref name="version"/> is given.</summary>
    Task SetTagAsync(string modelName, long? version, string key, string value, CancellationToken cancellationToken);

    /// <summary>True when the tag existed.</summary>
    Task<bool> DeleteTagAsync(string modelName, long? version, string key, CancellationToken cancellationToken);

    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    Task CreateTokenAsync(ApiToken token, CancellationToken cancellationToken);

    /// <summary>True when a live token of that name was revoked.</summary>
    Task<bool> RevokeTokenAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
