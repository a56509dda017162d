using System.Data.Common;
using Ferry.Storage.Tracking;

namespace Ferry.Storage.Sql.Tracking;

/// <summary>
/// <see cref="ITrackingStore"/> over the shared SQL core. Split by concern: experiments, runs and logging, search,
/// datasets. Values always travel as parameters; only whitelisted column names and operators are spliced into SQL.
/// </summary>
internal sealed partial class SqlTrackingStore(SqlMetadataStore store) : ITrackingStore
{
    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await store.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// <see cref="WriteAsync{T}"/>, run again when it lost a race on a unique key (two first registrations of one
    /// dataset on PostgreSQL both numbering version 1): the next attempt reads the winner's row. Each lost attempt
    /// means another writer committed, so the bound is never reached by honest contention below it.
    /// </summary>
    private async Task<T> WriteRetryingAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        const int MaxAttempts = 64;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteAsync(work, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e) when (attempt < MaxAttempts && store.Dialect.IsUniqueViolation(e))
            {
            }
        }
    }

    private Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (c, t) =>
        {
            await work(c, t).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private static async Task<int> ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
