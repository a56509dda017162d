using Ferry.Storage.Postgres;
using Ferry.Storage.Sqlite;
using Microsoft.Extensions.Logging;

namespace Ferry.Storage;

/// <summary>Opens the store a <c>--store</c> value names: a PostgreSQL URI or connection string, else SQLite in the home folder.</summary>
public static class MetadataStores
{
    public const string DefaultSqliteFileName = "ferry.db";

    /// <param name="store">Null or empty for the embedded default; <c>postgresql://...</c> or <c>Host=...</c> for PostgreSQL;
    /// <c>sqlite:PATH</c> for another SQLite file.</param>
    public static async Task<IMetadataStore> OpenAsync(string? store, string home, ILogger? logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(store))
        {
            return await SqliteMetadataStore.OpenAsync(Path.Combine(home, DefaultSqliteFileName), logger, cancellationToken).ConfigureAwait(false);
        }

        if (store.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return await SqliteMetadataStore.OpenAsync(store["sqlite:".Length..], logger, cancellationToken).ConfigureAwait(false);
        }

        if (PostgresConnectionString.IsUri(store) || store.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return await PostgresMetadataStore.OpenAsync(store, logger, cancellationToken).ConfigureAwait(false);
        }

        throw FerryException.Invalid($"--store '{store}' is neither a postgresql:// URI, a PostgreSQL connection string nor sqlite:PATH");
    }
}
