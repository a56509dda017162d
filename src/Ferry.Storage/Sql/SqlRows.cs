using System.Data.Common;

namespace Ferry.Storage.Sql;

/// <summary>Reads models and versions from rows, then fills in their tags and aliases with one query per page.</summary>
internal static class SqlRows
{
    public const string ModelColumns = "m.id, m.name, m.description, m.created_at, m.updated_at, m.last_version";

    public const string VersionColumns =
        "m.id, m.name, v.version, v.blob_digest, v.size_bytes, v.signature, v.status, v.description, v.source_run_id, " +
        "v.dataset_version_ids, v.created_at, v.created_by";

    public static async Task<List<(long Id, RegisteredModel Model)>> ReadModelsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var models = new List<(long, RegisteredModel)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            models.Add((reader.GetInt64(0), new RegisteredModel
            {
                Name = reader.GetString(1),
                Description = reader.NullableString(2),
                CreatedAt = Db.FromUnixMs(reader.GetInt64(3)),
                UpdatedAt = Db.FromUnixMs(reader.GetInt64(4)),
                LastVersion = reader.GetInt64(5),
            }));
        }

        return models;
    }

    public static async Task<List<(long ModelId, ModelVersionRecord Version)>> ReadVersionsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var versions = new List<(long, ModelVersionRecord)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add((reader.GetInt64(0), new ModelVersionRecord
            {
                ModelName = reader.GetString(1),
                Version = reader.GetInt64(2),
                BlobDigest = reader.GetString(3),
                SizeBytes = reader.GetInt64(4),
                Signature = SignatureJson.Read(reader.GetString(5)),
                Status = Enum.Parse<ModelVersionStatus>(reader.GetString(6)),
                Description = reader.NullableString(7),
                SourceRunId = reader.NullableString(8),
                DatasetVersionIds = SignatureJson.ReadList(reader.NullableString(9)),
                CreatedAt = Db.FromUnixMs(reader.GetInt64(10)),
                CreatedBy = reader.GetString(11),
            }));
        }

        return versions;
    }

    public static async Task<List<RegisteredModel>> WithExtrasAsync(
        DbConnection connection, DbTransaction? transaction, List<(long Id, RegisteredModel Model)> models, CancellationToken cancellationToken)
    {
        if (models.Count == 0)
        {
            return [];
        }

        var tags = models.ToDictionary(m => m.Id, _ => new Dictionary<string, string>(StringComparer.Ordinal));
        var aliases = models.ToDictionary(m => m.Id, _ => new Dictionary<string, long>(StringComparer.Ordinal));
        var ids = InList(models.Count, "i");
        await using (var command = Db.Command(connection, transaction, ""))
        {
            // One round trip for both; the first column tells a tag from an alias.
            for (var i = 0; i < models.Count; i++)
            {
                command.With("@i" + i, models[i].Id);
            }

            command.CommandText = $"SELECT CAST(0 AS BIGINT), model_id, key, value, CAST(0 AS BIGINT) FROM model_tags WHERE model_id IN ({ids}) " +
                $"UNION ALL SELECT CAST(1 AS BIGINT), model_id, alias, '', version FROM aliases WHERE model_id IN ({ids})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt64(1);
                if (reader.GetInt64(0) == 0)
                {
                    tags[id][reader.GetString(2)] = reader.GetString(3);
                }
                else
                {
                    aliases[id][reader.GetString(2)] = reader.GetInt64(4);
                }
            }
        }

        return models.Select(m => m.Model with { Tags = tags[m.Id], Aliases = aliases[m.Id] }).ToList();
    }

    public static async Task<List<ModelVersionRecord>> WithExtrasAsync(
        DbConnection connection, DbTransaction? transaction, SqlDialect dialect, List<(long ModelId, ModelVersionRecord Version)> versions,
        CancellationToken cancellationToken)
    {
        if (versions.Count == 0)
        {
            return [];
        }

        var tags = new Dictionary<(long, long), Dictionary<string, string>>();
        var aliases = new Dictionary<(long, long), List<string>>();
        await using (var command = Db.Command(connection, transaction, ""))
        {
            var keys = dialect.IsVersionKey(command, versions.Select(v => (v.ModelId, v.Version.Version)).ToArray());
            command.CommandText =
                $"SELECT CAST(0 AS BIGINT), model_id, version, key, value FROM version_tags WHERE {keys} " +
                $"UNION ALL SELECT CAST(1 AS BIGINT), model_id, version, alias, '' FROM aliases WHERE {keys}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (reader.GetInt64(1), reader.GetInt64(2));
                if (reader.GetInt64(0) == 0)
                {
                    (tags.TryGetValue(key, out var t) ? t : tags[key] = new(StringComparer.Ordinal))[reader.GetString(3)] = reader.GetString(4);
                }
                else
                {
                    (aliases.TryGetValue(key, out var a) ? a : aliases[key] = []).Add(reader.GetString(3));
                }
            }
        }

        return versions.Select(v =>
        {
            var key = (v.ModelId, v.Version.Version);
            return v.Version with
            {
                Tags = tags.TryGetValue(key, out var t) ? t : new Dictionary<string, string>(),
                Aliases = aliases.TryGetValue(key, out var a) ? a.Order(StringComparer.Ordinal).ToArray() : [],
            };
        }).ToList();
    }

    private static string InList(int count, string prefix) =>
        string.Join(", ", Enumerable.Range(0, count).Select(i => "@" + prefix + i));
}
