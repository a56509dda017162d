using System.Data.Common;
using Ferry.Storage.Tracking;

namespace Ferry.Storage.Sql.Tracking;

internal sealed partial class SqlTrackingStore
{
    private const string DatasetColumns =
        "d.id, d.name, d.version, d.digest, d.source_type, d.source, d.size_bytes, d.row_count, d.schema_json, d.profile_json, d.created_at";

    private const int DatasetColumnCount = 11;

    public Task<(DatasetVersionRecord Version, bool Created)> AddDatasetVersionAsync(DatasetVersionRecord dataset, CancellationToken cancellationToken) =>
        WriteRetryingAsync((connection, transaction) => AddDatasetAsync(connection, transaction, dataset, cancellationToken), cancellationToken);

    public async Task<DatasetVersionRecord?> GetDatasetVersionAsync(string name, long version, CancellationToken cancellationToken) =>
        await ReadDatasetAsync("d.name = @a AND d.version = @b", name, version, cancellationToken).ConfigureAwait(false);

    public async Task<DatasetVersionRecord?> FindDatasetVersionAsync(string name, string digest, CancellationToken cancellationToken) =>
        await ReadDatasetAsync("d.name = @a AND d.digest = @b", name, digest, cancellationToken).ConfigureAwait(false);

    public async Task<DatasetVersionRecord?> GetDatasetVersionByIdAsync(string id, CancellationToken cancellationToken) =>
        await ReadDatasetAsync("d.id = @a", id, null, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<(string RunId, string Context)>> ListDatasetUsesAsync(string datasetId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "SELECT run_id, context FROM run_inputs WHERE dataset_id = @id ORDER BY run_id").With("@id", datasetId);
        var uses = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            uses.Add((reader.GetString(0), reader.GetString(1)));
        }

        return uses;
    }

    public async Task<IReadOnlyList<(string ModelName, long Version, string? SourceRunId)>> ListModelVersionsFromAsync(
        string datasetId, IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "");

        // Versions keep their dataset ids as a JSON list of strings, so the quoted id is what a containing list holds.
        var where = new System.Text.StringBuilder(store.Dialect.Contains("v.dataset_version_ids", "@ds"));
        command.With("@ds", "\"" + datasetId + "\"");
        for (var i = 0; i < runIds.Count; i++)
        {
            where.Append(" OR v.source_run_id = @r").Append(i);
            command.With("@r" + i, runIds[i]);
        }

        command.CommandText = $"SELECT m.name, v.version, v.source_run_id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE {where} ORDER BY m.name, v.version";
        var versions = new List<(string, long, string?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add((reader.GetString(0), reader.GetInt64(1), reader.NullableString(2)));
        }

        return versions;
    }

    /// <summary>
    /// Same name and digest is the same version. A new one takes the next number of its name; on SQLite the write
    /// lock serialises registrations, on PostgreSQL two concurrent ones of a new name collide on the unique key and
    /// the loser fails rather than share a number.
    /// </summary>
    private static async Task<(DatasetVersionRecord, bool)> AddDatasetAsync(
        DbConnection connection, DbTransaction transaction, DatasetVersionRecord dataset, CancellationToken cancellationToken)
    {
        await using (var existing = Db.Command(connection, transaction, $"SELECT {DatasetColumns} FROM dataset_versions d WHERE d.name = @n AND d.digest = @d")
            .With("@n", dataset.Name).With("@d", dataset.Digest))
        {
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return (ReadDataset(reader), false);
            }
        }

        long version;
        await using (var next = Db.Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) + 1 FROM dataset_versions WHERE name = @n").With("@n", dataset.Name))
        {
            version = (await next.ScalarInt64Async(cancellationToken).ConfigureAwait(false))!.Value;
        }

        var created = dataset with { Id = Guid.NewGuid().ToString("N"), Version = version, CreatedAt = Db.FromUnixMs(Db.ToUnixMs(dataset.CreatedAt)) };
        await ExecuteAsync(Db.Command(connection, transaction,
            "INSERT INTO dataset_versions (id, name, version, digest, source_type, source, size_bytes, row_count, schema_json, profile_json, created_at) " +
            "VALUES (@id, @n, @v, @d, @st, @s, @size, @rows, @schema, @profile, @at)")
            .With("@id", created.Id).With("@n", created.Name).With("@v", version).With("@d", created.Digest).With("@st", created.SourceType)
            .With("@s", created.Source).With("@size", created.SizeBytes).With("@rows", created.RowCount).With("@schema", created.SchemaJson)
            .With("@profile", created.ProfileJson).With("@at", Db.ToUnixMs(created.CreatedAt)), cancellationToken).ConfigureAwait(false);
        return (created, true);
    }

    private async Task<DatasetVersionRecord?> ReadDatasetAsync(string where, object a, object? b, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT {DatasetColumns} FROM dataset_versions d WHERE {where}").With("@a", a);
        if (b is not null)
        {
            command.With("@b", b);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDataset(reader) : null;
    }

    private static DatasetVersionRecord ReadDataset(DbDataReader reader) => new()
    {
        Id = reader.GetString(0), Name = reader.GetString(1), Version = reader.GetInt64(2), Digest = reader.GetString(3),
        SourceType = reader.GetString(4), Source = reader.GetString(5), SizeBytes = reader.GetInt64(6), RowCount = reader.GetInt64(7),
        SchemaJson = reader.NullableString(8), ProfileJson = reader.NullableString(9), CreatedAt = Db.FromUnixMs(reader.GetInt64(10)),
    };
}
