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
