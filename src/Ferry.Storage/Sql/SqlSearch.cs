using System.Data.Common;
using System.Text;

namespace Ferry.Storage.Sql;

/// <summary>
/// Builds the search queries: only the filters given become predicates (PostgreSQL cannot type an
/// <c>@x IS NULL</c> parameter), and the keyset predicate follows the ORDER BY so indexes serve both.
/// </summary>
internal static class SqlSearch
{
    // Names are compared in byte order in both stores (BINARY in SQLite, COLLATE "C" in PostgreSQL), so every
    // name starting with a prefix sorts below the prefix followed by U+FFFF.
    private const string PrefixEnd = "\uFFFF";

    public static async Task<Page<RegisteredModel>> ModelsAsync(
        DbConnection connection, ModelQuery query, Func<string, string, string> contains, CancellationToken cancellationToken)
    {
        var pageSize = PageToken.CheckPageSize(query.PageSize);
        await using var command = Db.Command(connection, null, "");
        var where = new StringBuilder("WHERE 1 = 1");
        if (query.NameContains is { } part)
        {
            where.Append(" AND ").Append(contains("m.name", "@contains"));
            command.With("@contains", part);
        }

        AddPrefix(command, where, query.NamePrefix);
        if (query.Tag is { } tag)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM model_tags t WHERE t.model_id = m.id AND t.key = @tagKey")
                .Append(tag.Value is null ? ")" : " AND t.value = @tagValue)");
            command.With("@tagKey", tag.Key);
            if (tag.Value is not null)
            {
                command.With("@tagValue", tag.Value);
            }
        }

        if (query.Alias is { } alias)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM aliases a WHERE a.model_id = m.id AND a.alias = @alias)");
            command.With("@alias", alias);
        }

        if (query.PageToken is { } token)
        {
            where.Append(" AND m.name > @afterName");
            command.With("@afterName", PageToken.Decode(token).Name);
        }

        command.CommandText = $"SELECT {SqlRows.ModelColumns} FROM models m {where} ORDER BY m.name LIMIT @limit";
        command.With("@limit", (long)pageSize + 1);
        var rows = await SqlRows.ReadModelsAsync(command, cancellationToken).ConfigureAwait(false);
        var next = rows.Count > pageSize ? PageToken.Encode(rows[pageSize - 1].Model.Name, 0) : null;
        rows = rows.Take(pageSize).ToList();
        return new Page<RegisteredModel>(await SqlRows.WithExtrasAsync(connection, null, rows, cancellationToken).ConfigureAwait(false), next);
    }

    public static async Task<Page<ModelVersionRecord>> VersionsAsync(DbConnection connection, VersionQuery query, CancellationToken cancellationToken)
    {
        var pageSize = PageToken.CheckPageSize(query.PageSize);
        await using var command = Db.Command(connection, null, "");
        var where = new StringBuilder("WHERE 1 = 1");
        if (query.ModelName is { } name)
        {
            where.Append(" AND m.name = @name");
            command.With("@name", name);
        }

        AddPrefix(command, where, query.NamePrefix);
        if (query.Tag is { } tag)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM version_tags t WHERE t.model_id = v.model_id AND t.version = v.version AND t.key = @tagKey")
                .Append(tag.Value is null ? ")" : " AND t.value = @tagValue)");
            command.With("@tagKey", tag.Key);
            if (tag.Value is not null)
            {
                command.With("@tagValue", tag.Value);
            }
        }

        if (query.Alias is { } alias)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM aliases a WHERE a.model_id = v.model_id AND a.version = v.version AND a.alias = @alias)");
            command.With("@alias", alias);
        }

        if (query.Status is { } status)
        {
            where.Append(" AND v.status = @status");
            command.With("@status", status.ToString());
        }

        if (query.BlobDigest is { } digest)
        {
            where.Append(" AND v.blob_digest = @digest");
            command.With("@digest", digest);
        }

        if (query.PageToken is { } token)
        {
            var (afterName, afterVersion) = PageToken.Decode(token);
            where.Append(" AND (m.name > @afterName OR (m.name = @afterName AND v.version < @afterVersion))");
            command.With("@afterName", afterName).With("@afterVersion", afterVersion);
        }

        command.CommandText = $"SELECT {SqlRows.VersionColumns} FROM model_versions v JOIN models m ON m.id = v.model_id {where} " +
            "ORDER BY m.name, v.version DESC LIMIT @limit";
        command.With("@limit", (long)pageSize + 1);
        var rows = await SqlRows.ReadVersionsAsync(command, cancellationToken).ConfigureAwait(false);
        var next = rows.Count > pageSize ? PageToken.Encode(rows[pageSize - 1].Version.ModelName, rows[pageSize - 1].Version.Version) : null;
        rows = rows.Take(pageSize).ToList();
        return new Page<ModelVersionRecord>(await SqlRows.WithExtrasAsync(connection, null, rows, cancellationToken).ConfigureAwait(false), next);
    }

    private static void AddPrefix(DbCommand command, StringBuilder where, string? prefix)
    {
        if (prefix is { Length: > 0 })
        {
            where.Append(" AND m.name >= @prefix AND m.name < @prefixEnd");
            command.With("@prefix", prefix).With("@prefixEnd", prefix + PrefixEnd);
        }
    }
}
