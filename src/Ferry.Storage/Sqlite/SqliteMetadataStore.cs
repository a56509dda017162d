using System.Data.Common;
using Ferry.Storage.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Storage.Sqlite;

/// <summary>
/// The embedded default: one SQLite file in WAL mode, so readers never wait for the single writer.
/// </summary>
/// <remarks>
/// <c>synchronous=FULL</c>: in WAL mode NORMAL already survives a killed process, but a commit can still be lost
/// to a power cut or kernel crash. Registry writes are few and small, so the extra fsync per commit is cheap,
/// and an acknowledged registration then survives a machine failure too.
/// </remarks>
public sealed class SqliteMetadataStore : SqlMetadataStore
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;

    private SqliteMetadataStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    public override string Kind => "sqlite";

    public string Path { get; }

    internal override IReadOnlyList<Migration> Migrations => SqliteMigrations.All;

    /// <summary>Opens (creating if needed) the database file and brings its schema up to date.</summary>
    public static async Task<SqliteMetadataStore> OpenAsync(string path, ILogger? logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var store = new SqliteMetadataStore(path);
        await using (var connection = new SqliteConnection(store._connectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // WAL is a property of the file and cannot be switched inside a transaction, so it is set before migrating.
            await using var wal = Db.Command(connection, null, "PRAGMA journal_mode=WAL");
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var version = await store.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        StorageLog.StoreOpened(logger ?? NullLogger.Instance, store.Kind, path, version, applied);
        return store;
    }

    internal override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Per-connection settings: a pooled connection keeps them, but setting them again costs microseconds.
            await using var pragmas = Db.Command(connection, null,
                $"PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}");
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // deferred: false issues BEGIN IMMEDIATE: the write lock is taken now, so a transaction that reads and then
        // writes cannot fail with SQLITE_BUSY halfway; a second writer waits up to the busy timeout instead.
        DbTransaction transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        return Task.FromResult(transaction);
    }

    // BEGIN IMMEDIATE already excludes every other writer, migrations included.
    internal override Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    internal override SqlDialect Dialect => SqliteDialect.Instance;

    public override ValueTask DisposeAsync()
    {
        // Closes the pooled handles so the file can be moved or deleted once the store is gone.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
