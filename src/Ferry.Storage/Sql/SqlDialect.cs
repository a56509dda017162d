using System.Data.Common;

namespace Ferry.Storage.Sql;

/// <summary>The few expressions the two stores must write differently, to match or to plan well.</summary>
internal abstract class SqlDialect
{
    /// <summary>A case-sensitive "column contains parameter" test.</summary>
    public abstract string Contains(string column, string parameter);

    /// <summary>A predicate on <c>model_id, version</c> true for the given keys; adds the parameters it uses.</summary>
    public abstract string IsVersionKey(DbCommand command, IReadOnlyList<(long ModelId, long Version)> keys);

    /// <summary>
    /// A predicate true when <paramref name="column"/> is one of the list bound by <see cref="BindList"/> as
    /// <paramref name="parameter"/>: the SQL text stays the same whatever the count, and a page of 100 ids binds one
    /// value, not 100.
    /// </summary>
    public abstract string IsOneOf(string column, string parameter);

    /// <summary>Binds <paramref name="values"/> as the one parameter that <see cref="IsOneOf"/> reads.</summary>
    public abstract void BindList(DbCommand command, string parameter, IReadOnlyList<string> values);

    /// <summary>A case-sensitive LIKE (MLflow's meaning), binding <paramref name="pattern"/> as <paramref name="parameter"/>.</summary>
    public abstract string CaseSensitiveLike(DbCommand command, string column, string parameter, string pattern);

    /// <summary>
    /// True when the write lost a race on a unique key to a concurrent transaction, so that running it again sees the
    /// winner's row. SQLite serializes writers, so only PostgreSQL answers true.
    /// </summary>
    public virtual bool IsUniqueViolation(DbException exception) => false;
}
