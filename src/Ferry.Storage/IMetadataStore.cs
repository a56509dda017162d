namespace Ferry.Storage;

/// <summary>
/// The control plane's metadata: registered models, versions, aliases, tags, audit and tokens. Reads run on
/// their own; every write goes through one <see cref="IMetadataTransaction"/>, committed as a whole or not at all.
/// </summary>
/// <remarks>
/// Implementations apply their versioned migrations when opened, so a store handed out is always on the current
/// schema. The caller owns the store and disposes it.
/// </remarks>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgresql": for logs and status pages, never for branching on SQL.</summary>
    string Kind { get; }

    /// <summary>Experiments, runs and dataset versions, kept in the same database.</summary>
    Tracking.ITrackingStore Tracking { get; }

    /// <summary>Deployments and their history, kept in the same database.</summary>
    Delivery.IDeploymentStore Deployments { get; }

    /// <summary>Starts a write transaction; disposing it without <see cref="IMetadataTransaction.CommitAsync"/> rolls back.</summary>
    Task<IMetadataTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>The highest migration applied.</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>Refreshes the query planner's statistics: after a bulk load, or from a periodic maintenance job.</summary>
    Task AnalyzeAsync(CancellationToken cancellationToken);

    Task<RegisteredModel?> GetModelAsync(string name, CancellationToken cancellationToken);

    Task<ModelVersionRecord?> GetVersionAsync(string modelName, long version, CancellationToken cancellationToken);

    Task<ModelVersionRecord?> GetVersionByAliasAsync(string modelName, string alias, CancellationToken cancellationToken);

    Task<Page<RegisteredModel>> SearchModelsAsync(ModelQuery query, CancellationToken cancellationToken);

    Task<Page<ModelVersionRecord>> SearchVersionsAsync(VersionQuery query, CancellationToken cancellationToken);

    /// <summary>How many model versions (of any model) and run artifacts keep the blob <paramref name="digest"/> alive.</summary>
    Task<long> CountBlobReferencesAsync(string digest, CancellationToken cancellationToken);

    /// <summary>The model's audit trail, newest first; it outlives the model itself.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string modelName, int limit, CancellationToken cancellationToken);

    Task<ApiToken?> FindTokenAsync(string hash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken cancellationToken);
}
