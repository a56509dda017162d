using System.Data.Common;

namespace Ferry.Storage.Sql;

/// <summary>
/// The metadata store over ADO.NET, shared by SQLite and PostgreSQL. The SQL here is the common subset of both
/// (RETURNING, ON CONFLICT, row values, LIMIT); what differs lives in the two subclasses and their migrations.
/// </summary>
public abstract class SqlMetadataStore : IMetadataStore
{
    private Tracking.SqlTrackingStore? _tracking;
    private Delivery.SqlDeploymentStore? _deployments;

    public abstract string Kind { get; }

    public Storage.Tracking.ITrackingStore Tracking => _tracking ??= new Tracking.SqlTrackingStore(this);

    public Storage.Delivery.IDeploymentStore Deployments => _deployments ??= new Delivery.SqlDeploymentStore(this);

    internal abstract IReadOnlyList<Migration> Migrations { get; }

    /// <summary>An open connection with the session settings the store relies on; the caller disposes it.</summary>
    internal abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Starts a write transaction that takes its locks up front, so two writers queue instead of deadlocking.</summary>
    internal abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Keeps two processes opening the same store from migrating it at once.</summary>
    internal abstract Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    internal abstract SqlDialect Dialect { get; }

    public abstract ValueTask DisposeAsync();

    public async Task<IMetadataTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            return new SqlMetadataTransaction(connection, transaction, Dialect);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "SELECT MAX(version) FROM schema_migrations");
        return (int)(await command.ScalarInt64Async(cancellationToken).ConfigureAwait(false) ?? 0);
    }

    public async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "ANALYZE");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<RegisteredModel?> GetModelAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT {SqlRows.ModelColumns} FROM models m WHERE m.name = @name")
            .With("@name", name);
        var rows = await SqlRows.ReadModelsAsync(command, cancellationToken).ConfigureAwait(false);
        return (await SqlRows.WithExtrasAsync(connection, null, rows, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public Task<ModelVersionRecord?> GetVersionAsync(string modelName, long version, CancellationToken cancellationToken) =>
        GetOneVersionAsync("m.name = @name AND v.version = @version", modelName, version, cancellationToken);

    public Task<ModelVersionRecord?> GetVersionByAliasAsync(string modelName, string alias, CancellationToken cancellationToken) =>
        GetOneVersionAsync(
            "m.name = @name AND v.version = (SELECT a.version FROM aliases a WHERE a.model_id = m.id AND a.alias = @version)",
            modelName, alias, cancellationToken);

    public async Task<Page<RegisteredModel>> SearchModelsAsync(ModelQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await SqlSearch.ModelsAsync(connection, query, Dialect, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<ModelVersionRecord>> SearchVersionsAsync(VersionQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await SqlSearch.VersionsAsync(connection, query, Dialect, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountBlobReferencesAsync(string digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "SELECT (SELECT COUNT(*) FROM model_versions WHERE blob_digest = @d) + (SELECT COUNT(*) FROM run_artifacts WHERE blob_digest = @d)").With("@d", digest);
        return await command.ScalarInt64Async(cancellationToken).ConfigureAwait(false) ?? 0;
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string modelName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null,
            "SELECT id, model_name, version, action, detail, actor, reason, at FROM audit_log " +
            "WHERE model_name = @name ORDER BY id DESC LIMIT @limit")
            .With("@name", modelName).With("@limit", (long)PageToken.CheckPageSize(limit));
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry
            {
                Id = reader.GetInt64(0),
                ModelName = reader.GetString(1),
                Version = reader.NullableInt64(2),
                Action = Enum.Parse<AuditAction>(reader.GetString(3)),
                Detail = reader.NullableString(4),
                Actor = reader.GetString(5),
                Reason = reader.NullableString(6),
                At = Db.FromUnixMs(reader.GetInt64(7)),
            });
        }

        return entries;
    }

    public async Task<ApiToken?> FindTokenAsync(string hash, CancellationToken cancellationToken) =>
        (await ReadTokensAsync("WHERE hash = @hash", hash, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken cancellationToken) =>
        ReadTokensAsync("ORDER BY name", null, cancellationToken);

    /// <summary>Creates the migrations table if needed and applies the missing migrations, all in one transaction.</summary>
    internal Task<int> MigrateAsync(CancellationToken cancellationToken) => Migrator.ApplyAsync(this, cancellationToken);

    private async Task<ModelVersionRecord?> GetOneVersionAsync(string where, string name, object version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null,
            $"SELECT {SqlRows.VersionColumns} FROM model_versions v JOIN models m ON m.id = v.model_id WHERE {where}")
            .With("@name", name).With("@version", version);
        var rows = await SqlRows.ReadVersionsAsync(command, cancellationToken).ConfigureAwait(false);
        return (await SqlRows.WithExtrasAsync(connection, null, Dialect, rows, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    private async Task<IReadOnlyList<ApiToken>> ReadTokensAsync(string clause, string? hash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT name, role, hash, created_at, revoked_at FROM api_tokens {clause}");
        if (hash is not null)
        {
            command.With("@hash", hash);
        }

        var tokens = new List<ApiToken>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(new ApiToken
            {
                Name = reader.GetString(0),
                Role = Enum.Parse<TokenRole>(reader.GetString(1)),
                Hash = reader.GetString(2),
                CreatedAt = Db.FromUnixMs(reader.GetInt64(3)),
                RevokedAt = reader.NullableInt64(4) is { } revoked ? Db.FromUnixMs(revoked) : null,
            });
        }

        return tokens;
    }
}
