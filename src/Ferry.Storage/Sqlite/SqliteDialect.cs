using System.Data.Common;
using System.Text;
using System.Text.Json;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Sqlite;

internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    /// <remarks>
    /// A chain of ORs: SQLite answers a row-value <c>IN (VALUES ...)</c> by scanning the whole table, but turns each
    /// OR term into one primary-key seek (12 ms against 0.1 ms for a page of 100 over 100,000 versions).
    /// </remarks>
    public override string IsVersionKey(DbCommand command, IReadOnlyList<(long ModelId, long Version)> keys)
    {
        var sql = new StringBuilder("(");
        for (var i = 0; i < keys.Count; i++)
        {
            sql.Append(i == 0 ? "" : " OR ").Append("(model_id = @km").Append(i).Append(" AND version = @kv").Append(i).Append(')');
            command.With("@km" + i, keys[i].ModelId).With("@kv" + i, keys[i].Version);
        }

        return sql.Append(')').ToString();
    }

    /// <remarks>The values travel as one JSON array; SQLite plans <c>IN (SELECT value FROM json_each(...))</c> as one
    /// index seek per value, like a list of parameters.</remarks>
    public override string IsOneOf(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override void BindList(DbCommand command, string parameter, IReadOnlyList<string> values) =>
        command.With(parameter, JsonSerializer.Serialize(values));

    /// <remarks>SQLite's LIKE ignores ASCII case, so the pattern is rewritten as a GLOB, which does not.</remarks>
    public override string CaseSensitiveLike(DbCommand command, string column, string parameter, string pattern)
    {
        var glob = new StringBuilder(pattern.Length + 8);
        foreach (var c in pattern)
        {
            glob.Append(c switch
            {
                '%' => "*",
                '_' => "?",
                '*' => "[*]",
                '?' => "[?]",
                '[' => "[[]",
                _ => c.ToString(),
            });
        }

        command.With(parameter, glob.ToString());
        return $"{column} GLOB {parameter}";
    }
}
