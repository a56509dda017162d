using System.Data.Common;

namespace Ferry.Storage.Sql;

/// <summary>
/// One write transaction on its own connection. Every change to a model first updates the model's row: that row
/// lock (PostgreSQL) or the write lock (SQLite) makes writers of one model take turns, so version numbers and
/// alias moves read what the previous writer committed.
/// </summary>
internal sealed class SqlMetadataTransaction(DbConnection connection, DbTransaction transaction, SqlDialect dialect) : IMetadataTransaction
{
    private bool _committed;

    public async Task<RegisteredModel> CreateModelAsync(string name, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await InsertModelAsync(name, description, now, cancellationToken).ConfigureAwait(false))
        {
            throw FerryException.Invalid($"model '{name}' already exists");
        }

        var at = Db.FromUnixMs(Db.ToUnixMs(now));
        return new RegisteredModel { Name = name, Description = description, CreatedAt = at, UpdatedAt = at, LastVersion = 0 };
    }

    public Task<bool> CreateModelIfMissingAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        InsertModelAsync(name, null, now, cancellationToken);

    public async Task<bool> UpdateModelDescriptionAsync(string name, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE models SET description = @description, updated_at = @now WHERE name = @name")
            .With("@name", name).With("@description", description).With("@now", Db.ToUnixMs(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> UpdateVersionDescriptionAsync(string modelName, long version, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "UPDATE model_versions SET description = @description WHERE version = @version AND model_id = (SELECT id FROM models WHERE name = @name)")
            .With("@name", modelName).With("@version", version).With("@description", description);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }

        await using var touch = Command("UPDATE models SET updated_at = @now WHERE name = @name").With("@name", modelName).With("@now", Db.ToUnixMs(now));
        await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<string>?> DeleteModelAsync(string name, CancellationToken cancellationToken)
    {
        var exists = Command("UPDATE models SET last_version = last_version WHERE name = @name RETURNING id").With("@name", name);
        await using (exists)
        {
            if (await exists.ScalarInt64Async(cancellationToken).ConfigureAwait(false) is null)
            {
                return null;
            }
        }

        var digests = new List<string>();
        await using (var select = Command(
            "SELECT DISTINCT v.blob_digest FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = @name").With("@name", name))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                digests.Add(reader.GetString(0));
            }
        }

        // Children go first and explicitly, so the result does not hang on the foreign-key setting of a connection.
        await using var delete = Command(
            "DELETE FROM aliases WHERE model_id = (SELECT id FROM models WHERE name = @name); " +
            "DELETE FROM version_tags WHERE model_id = (SELECT id FROM models WHERE name = @name); " +
            "DELETE FROM model_versions WHERE model_id = (SELECT id FROM models WHERE name = @name); " +
            "DELETE FROM model_tags WHERE model_id = (SELECT id FROM models WHERE name = @name); " +
            "DELETE FROM models WHERE name = @name").With("@name", name);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return digests;
    }

    public async Task<ModelVersionRecord> AddVersionAsync(NewModelVersion version, CancellationToken cancellationToken)
    {
        long modelId;
        long number;
        await using (var next = Command(
            "UPDATE models SET last_version = last_version + 1, updated_at = @now WHERE name = @name RETURNING id, last_version")
            .With("@name", version.ModelName).With("@now", Db.ToUnixMs(version.CreatedAt)))
        {
            await using var reader = await next.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw FerryException.NotFound($"model '{version.ModelName}' does not exist");
            }

            (modelId, number) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await using (var insert = Command(
            "INSERT INTO model_versions (model_id, version, blob_digest, size_bytes, signature, status, description, source_run_id, " +
            "dataset_version_ids, created_at, created_by) VALUES (@id, @version, @digest, @size, @signature, @status, @description, " +
            "@run, @datasets, @now, @by)"))
        {
            insert.With("@id", modelId).With("@version", number).With("@digest", version.BlobDigest).With("@size", version.SizeBytes)
                .With("@signature", SignatureJson.Write(version.Signature)).With("@status", version.Status.ToString())
                .With("@description", version.Description).With("@run", version.SourceRunId)
                .With("@datasets", SignatureJson.WriteList(version.DatasetVersionIds))
                .With("@now", Db.ToUnixMs(version.CreatedAt)).With("@by", version.CreatedBy);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (key, value) in version.Tags)
        {
            // The model's row is already locked and the version is new: no upsert and no existence check needed.
            await using var tag = Command("INSERT INTO version_tags (model_id, version, key, value) VALUES (@id, @version, @key, @value)")
                .With("@id", modelId).With("@version", number).With("@key", key).With("@value", value);
            await tag.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new ModelVersionRecord
        {
            ModelName = version.ModelName,
            Version = number,
            BlobDigest = version.BlobDigest,
            SizeBytes = version.SizeBytes,
            Signature = version.Signature,
            Status = version.Status,
            Description = version.Description,
            SourceRunId = version.SourceRunId,
            DatasetVersionIds = version.DatasetVersionIds,
            CreatedAt = Db.FromUnixMs(Db.ToUnixMs(version.CreatedAt)),
            CreatedBy = version.CreatedBy,
            Tags = version.Tags,
        };
    }

    public async Task<ModelVersionRecord?> DeleteVersionAsync(string modelName, long version, CancellationToken cancellationToken)
    {
        var modelId = await LockModelAsync(modelName, null, cancellationToken).ConfigureAwait(false);
        await using var select = Command($"SELECT {SqlRows.VersionColumns} FROM model_versions v JOIN models m ON m.id = v.model_id " +
            "WHERE v.model_id = @id AND v.version = @version").With("@id", modelId).With("@version", version);
        var rows = await SqlRows.ReadVersionsAsync(select, cancellationToken).ConfigureAwait(false);
        var record = (await SqlRows.WithExtrasAsync(connection, transaction, dialect, rows, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        if (record is null)
        {
            return null;
        }

        await using var delete = Command(
            "DELETE FROM aliases WHERE model_id = @id AND version = @version; " +
            "DELETE FROM version_tags WHERE model_id = @id AND version = @version; " +
            "DELETE FROM model_versions WHERE model_id = @id AND version = @version").With("@id", modelId).With("@version", version);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<long?> SetAliasAsync(string modelName, string alias, long version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var modelId = await LockModelAsync(modelName, version, cancellationToken).ConfigureAwait(false);
        var previous = await AliasTargetAsync(modelId, alias, cancellationToken).ConfigureAwait(false);
        await using var upsert = Command(
            "INSERT INTO aliases (model_id, alias, version, updated_at) VALUES (@id, @alias, @version, @now) " +
            "ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at")
            .With("@id", modelId).With("@alias", alias).With("@version", version).With("@now", Db.ToUnixMs(now));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return previous;
    }

    public async Task<long?> DeleteAliasAsync(string modelName, string alias, CancellationToken cancellationToken)
    {
        var modelId = await LockModelAsync(modelName, null, cancellationToken).ConfigureAwait(false);
        var previous = await AliasTargetAsync(modelId, alias, cancellationToken).ConfigureAwait(false);
        await using var delete = Command("DELETE FROM aliases WHERE model_id = @id AND alias = @alias").With("@id", modelId).With("@alias", alias);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return previous;
    }

    public async Task SetTagAsync(string modelName, long? version, string key, string value, CancellationToken cancellationToken)
    {
        var modelId = await LockModelAsync(modelName, version, cancellationToken).ConfigureAwait(false);
        await using var upsert = version is null
            ? Command("INSERT INTO model_tags (model_id, key, value) VALUES (@id, @key, @value) " +
                "ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value")
            : Command("INSERT INTO version_tags (model_id, version, key, value) VALUES (@id, @version, @key, @value) " +
                "ON CONFLICT (model_id, version, key) DO UPDATE SET value = excluded.value").With("@version", version);
        await upsert.With("@id", modelId).With("@key", key).With("@value", value).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteTagAsync(string modelName, long? version, string key, CancellationToken cancellationToken)
    {
        var modelId = await LockModelAsync(modelName, version, cancellationToken).ConfigureAwait(false);
        await using var delete = version is null
            ? Command("DELETE FROM model_tags WHERE model_id = @id AND key = @key")
            : Command("DELETE FROM version_tags WHERE model_id = @id AND version = @version AND key = @key").With("@version", version);
        return await delete.With("@id", modelId).With("@key", key).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var insert = Command(
            "INSERT INTO audit_log (model_name, version, action, detail, actor, reason, at) " +
            "VALUES (@name, @version, @action, @detail, @actor, @reason, @at)")
            .With("@name", entry.ModelName).With("@version", entry.Version).With("@action", entry.Action.ToString())
            .With("@detail", entry.Detail).With("@actor", entry.Actor).With("@reason", entry.Reason).With("@at", Db.ToUnixMs(entry.At));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateTokenAsync(ApiToken token, CancellationToken cancellationToken)
    {
        await using var insert = Command(
            "INSERT INTO api_tokens (name, role, hash, created_at) VALUES (@name, @role, @hash, @at) ON CONFLICT DO NOTHING RETURNING name")
            .With("@name", token.Name).With("@role", token.Role.ToString()).With("@hash", token.Hash).With("@at", Db.ToUnixMs(token.CreatedAt));
        if (await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw FerryException.Invalid($"a token named '{token.Name}' already exists");
        }
    }

    public async Task<bool> RevokeTokenAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var update = Command("UPDATE api_tokens SET revoked_at = @now WHERE name = @name AND revoked_at IS NULL")
            .With("@name", name).With("@now", Db.ToUnixMs(now));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await transaction.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    // ON CONFLICT DO NOTHING rather than catching the unique violation: in PostgreSQL an error would abort the transaction.
    private async Task<bool> InsertModelAsync(string name, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "INSERT INTO models (name, description, created_at, updated_at, last_version) VALUES (@name, @description, @now, @now, 0) " +
            "ON CONFLICT (name) DO NOTHING RETURNING id")
            .With("@name", name).With("@description", description).With("@now", Db.ToUnixMs(now));
        return await command.ScalarInt64Async(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Takes the model's row lock and checks that the model (and the version, when given) exists.</summary>
    private async Task<long> LockModelAsync(string modelName, long? version, CancellationToken cancellationToken)
    {
        await using var touch = Command("UPDATE models SET last_version = last_version WHERE name = @name RETURNING id").With("@name", modelName);
        var modelId = await touch.ScalarInt64Async(cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"model '{modelName}' does not exist");
        if (version is { } v)
        {
            await using var exists = Command("SELECT COUNT(*) FROM model_versions WHERE model_id = @id AND version = @version")
                .With("@id", modelId).With("@version", v);
            if (await exists.ScalarInt64Async(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw FerryException.NotFound($"model '{modelName}' has no version {v}");
            }
        }

        return modelId;
    }

    private async Task<long?> AliasTargetAsync(long modelId, string alias, CancellationToken cancellationToken)
    {
        await using var select = Command("SELECT version FROM aliases WHERE model_id = @id AND alias = @alias").With("@id", modelId).With("@alias", alias);
        return await select.ScalarInt64Async(cancellationToken).ConfigureAwait(false);
    }

    private DbCommand Command(string sql) => Db.Command(connection, transaction, sql);
}
