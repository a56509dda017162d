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

    // Below this many matches, sorting the tag's versions beats walking all versions in order (about 1 in 50 of 100,000).
    private const long RareTagCap = 2000;

    private static readonly Driver OrderDriven = new("FROM models m CROSS JOIN model_versions v", "v");
    private static readonly Driver AliasDriven = new("FROM aliases a CROSS JOIN models m", "a");
    private static readonly Driver TagDriven = new("FROM version_tags t CROSS JOIN models m", "t");

    public static async Task<Page<RegisteredModel>> ModelsAsync(
        DbConnection connection, ModelQuery query, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var pageSize = PageToken.CheckPageSize(query.PageSize);
        await using var command = Db.Command(connection, null, "");
        var where = new StringBuilder("WHERE 1 = 1");
        if (query.NameContains is { } part)
        {
            where.Append(" AND ").Append(dialect.Contains("m.name", "@contains"));
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

    public static async Task<Page<ModelVersionRecord>> VersionsAsync(
        DbConnection connection, VersionQuery query, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var pageSize = PageToken.CheckPageSize(query.PageSize);
        var driver = await ChooseDriverAsync(connection, query, cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "");

        // k names the table that gives (model_id, version) in the inner query. The tag and alias tables reference
        // an existing version by foreign key, so the inner query reads only indexes and small rows; the wide
        // version rows are read for the one page alone.
        var k = driver.KeyAlias;
        var where = new StringBuilder($"WHERE m.id = {k}.model_id");
        if (query.ModelName is { } name)
        {
            where.Append(" AND m.name = @name");
            command.With("@name", name);
        }

        AddPrefix(command, where, query.NamePrefix);
        if (query.Tag is { } tag)
        {
            where.Append(k == "t" ? " AND (t.key = @tagKey" : $" AND EXISTS (SELECT 1 FROM version_tags t WHERE t.model_id = {k}.model_id AND t.version = {k}.version AND t.key = @tagKey")
                .Append(tag.Value is null ? ")" : " AND t.value = @tagValue)");
            command.With("@tagKey", tag.Key);
            if (tag.Value is not null)
            {
                command.With("@tagValue", tag.Value);
            }
        }

        if (query.Alias is { } alias)
        {
            where.Append(k == "a" ? " AND a.alias = @alias" : $" AND EXISTS (SELECT 1 FROM aliases a WHERE a.model_id = {k}.model_id AND a.version = {k}.version AND a.alias = @alias)");
            command.With("@alias", alias);
        }

        var versionFilters = new List<string>();
        if (query.Status is { } status)
        {
            versionFilters.Add("status = @status");
            command.With("@status", status.ToString());
        }

        if (query.BlobDigest is { } digest)
        {
            versionFilters.Add("blob_digest = @digest");
            command.With("@digest", digest);
        }

        if (query.SourceRunId is { } runId)
        {
            versionFilters.Add("source_run_id = @runId");
            command.With("@runId", runId);
        }

        if (versionFilters.Count > 0)
        {
            where.Append($" AND EXISTS (SELECT 1 FROM model_versions vf WHERE vf.model_id = {k}.model_id AND vf.version = {k}.version AND ")
                .Append(string.Join(" AND ", versionFilters.Select(f => "vf." + f))).Append(')');
        }

        if (query.PageToken is { } token)
        {
            // A leading range on the name alone, which both planners turn into an index range scan.
            var (afterName, afterVersion) = PageToken.Decode(token);
            where.Append($" AND m.name >= @afterName AND (m.name > @afterName OR {k}.version < @afterVersion)");
            command.With("@afterName", afterName).With("@afterVersion", afterVersion);
        }

        command.CommandText =
            $"SELECT {SqlRows.VersionColumns} FROM (SELECT m.id AS key_model, m.name AS key_name, {k}.version AS key_version " +
            $"{driver.From} {where} ORDER BY m.name, {k}.version DESC LIMIT @limit) page " +
            "JOIN model_versions v ON v.model_id = page.key_model AND v.version = page.key_version " +
            "JOIN models m ON m.id = page.key_model ORDER BY page.key_name, page.key_version DESC";
        command.With("@limit", (long)pageSize + 1);
        var rows = await SqlRows.ReadVersionsAsync(command, cancellationToken).ConfigureAwait(false);
        var next = rows.Count > pageSize ? PageToken.Encode(rows[pageSize - 1].Version.ModelName, rows[pageSize - 1].Version.Version) : null;
        rows = rows.Take(pageSize).ToList();
        return new Page<ModelVersionRecord>(await SqlRows.WithExtrasAsync(connection, null, dialect, rows, cancellationToken).ConfigureAwait(false), next);
    }

    /// <summary>
    /// Picks the table the search starts from. Walking models in name order and their versions newest first
    /// returns a page as soon as it has found it, which suits unfiltered lists and common tags, but a rare tag would
    /// make it read every version. An alias names at most one version per model, and a tag that few versions carry
    /// is cheaper to start from and sort; the tag's frequency is counted (up to a cap) through its index.
    /// </summary>
    /// <remarks>
    /// The ordered walk is written as <c>models CROSS JOIN model_versions</c>: SQLite takes CROSS JOIN as a fixed join
    /// order (without statistics it would otherwise scan and sort every version), PostgreSQL plans it like any join.
    /// </remarks>
    private static async Task<Driver> ChooseDriverAsync(DbConnection connection, VersionQuery query, CancellationToken cancellationToken)
    {
        if (query.ModelName is null && query.Alias is not null)
        {
            return AliasDriven;
        }

        if (query.ModelName is null && query.Tag is { } tag)
        {
            await using var count = Db.Command(connection, null,
                "SELECT COUNT(*) FROM (SELECT 1 FROM version_tags WHERE key = @tagKey" + (tag.Value is null ? "" : " AND value = @tagValue") +
                " LIMIT @cap) x").With("@tagKey", tag.Key).With("@cap", RareTagCap);
            if (tag.Value is not null)
            {
                count.With("@tagValue", tag.Value);
            }

            if (await count.ScalarInt64Async(cancellationToken).ConfigureAwait(false) < RareTagCap)
            {
                return TagDriven;
            }
        }

        return OrderDriven;
    }

    /// <param name="From">The inner query's FROM clause, in the join order SQLite is to follow.</param>
    /// <param name="KeyAlias">The table alias that gives (model_id, version).</param>
    private sealed record Driver(string From, string KeyAlias);

    private static void AddPrefix(DbCommand command, StringBuilder where, string? prefix)
    {
        if (prefix is { Length: > 0 })
        {
            where.Append(" AND m.name >= @prefix AND m.name < @prefixEnd");
            command.With("@prefix", prefix).With("@prefixEnd", prefix + PrefixEnd);
        }
    }
}
