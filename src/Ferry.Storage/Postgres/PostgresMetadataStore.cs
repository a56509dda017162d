using System.Data.Common;
using Ferry.Storage.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ferry.Storage.Postgres;

/// <summary>The shared store for several replicas: PostgreSQL through a pooled <see cref="NpgsqlDataSource"/>.</summary>
public sealed class PostgresMetadataStore : SqlMetadataStore
{
    // Any constant works as long as every Ferry process uses the same one: it names "the schema is being migrated".
    private const long MigrationLockKey = 0x4665727279_01;

    private readonly NpgsqlDataSource _dataSource;

    private PostgresMetadataStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public override string Kind => "postgresql";

    internal override IReadOnlyList<Migration> Migrations => PostgresMigrations.All;

    /// <summary>Connects with a connection string (or a <c>postgresql://</c> URI) and brings the schema up to date.</summary>
    public static async Task<PostgresMetadataStore> OpenAsync(string connection, ILogger? logger, CancellationToken cancellationToken)
    {
        var connectionString = PostgresConnectionString.Parse(connection);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            // The store sends a few dozen distinct statements over and over: preparing them on a connection's second
            // use saves the server parsing and planning each call, a large part of a small query's time.
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }

        var store = new PostgresMetadataStore(NpgsqlDataSource.Create(settings.ConnectionString));
        try
        {
            var applied = await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var version = await store.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
            StorageLog.StoreOpened(logger ?? NullLogger.Instance, store.Kind, $"{settings.Host}:{settings.Port}/{settings.Database}", version, applied);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    // READ COMMITTED with row locks: writers of one model queue on its row (see SqlMetadataTransaction).
    internal override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    internal override async Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Two replicas starting together would otherwise race on CREATE TABLE; the lock ends with the transaction.
        await using var command = Db.Command(connection, transaction, "SELECT pg_advisory_xact_lock(@key)").With("@key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal override SqlDialect Dialect => PostgresDialect.Instance;

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
