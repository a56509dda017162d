using System.Data.Common;

namespace Ferry.Storage.Sql;

/// <summary>
/// Applies the missing migrations in one transaction: a store is either on the old schema or on the new one,
/// never halfway, even if the process dies in the middle (both stores have transactional DDL).
/// </summary>
internal static class Migrator
{
    public static async Task<int> ApplyAsync(SqlMetadataStore store, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await store.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await store.LockSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await using (var create = Db.Command(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = new HashSet<long>();
        await using (var select = Db.Command(connection, transaction, "SELECT version FROM schema_migrations"))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt64(0));
            }
        }

        var count = 0;
        foreach (var migration in store.Migrations.OrderBy(m => m.Version))
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }

            await RunAsync(connection, transaction, migration, cancellationToken).ConfigureAwait(false);
            count++;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static async Task RunAsync(DbConnection connection, DbTransaction transaction, Migration migration, CancellationToken cancellationToken)
    {
        await using (var step = Db.Command(connection, transaction, migration.Sql))
        {
            await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var record = Db.Command(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at)")
            .With("@v", (long)migration.Version).With("@n", migration.Name).With("@at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
