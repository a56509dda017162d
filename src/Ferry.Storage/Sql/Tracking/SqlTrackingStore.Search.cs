using System.Data.Common;
using System.Text;
using Ferry.Storage.Tracking;

namespace Ferry.Storage.Sql.Tracking;

internal sealed partial class SqlTrackingStore
{
    public async Task<Page<RunRecord>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        if (query.MaxResults is < 1 or > RunQuery.MaxPageSize)
        {
            throw FerryException.Invalid($"Invalid value for max_results. It must be between 1 and {RunQuery.MaxPageSize}, not {query.MaxResults}");
        }

        var offset = OffsetToken.Decode(query.PageToken);
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "");
        var sql = new StringBuilder($"SELECT {RunColumns} FROM runs r WHERE ").Append(StageClause("r.lifecycle_stage", query.View));
        if (query.ExperimentIds.Count > 0)
        {
            sql.Append(" AND r.experiment_id IN (");
            for (var i = 0; i < query.ExperimentIds.Count; i++)
            {
                sql.Append(i == 0 ? "@e" : ", @e").Append(i);
                command.With("@e" + i, query.ExperimentIds[i]);
            }

            sql.Append(')');
        }

        for (var i = 0; i < query.Filter.Count; i++)
        {
            sql.Append(" AND ").Append(Predicate(command, query.Filter[i], i));
        }

        sql.Append(" ORDER BY ");
        for (var i = 0; i < query.OrderBy.Count; i++)
        {
            var order = query.OrderBy[i];
            sql.Append(SortKey(command, order.Field, i)).Append(order.Descending ? " DESC NULLS LAST, " : " ASC NULLS LAST, ");
        }

        sql.Append("r.start_time DESC, r.run_id LIMIT @limit OFFSET @offset");
        command.With("@limit", (long)query.MaxResults + 1).With("@offset", offset);
        command.CommandText = sql.ToString();
        var runs = await ReadRunsAsync(connection, command, cancellationToken).ConfigureAwait(false);
        return OffsetToken.Page(runs, query.MaxResults, offset);
    }

    /// <summary>The SQL for one clause: the key and value become parameters, the operator comes from a fixed table.</summary>
    private string Predicate(DbCommand command, RunFilterClause clause, int i)
    {
        var value = "@fv" + i;
        string Compare(string column) => clause.Op switch
        {
            FilterOp.Like => store.Dialect.CaseSensitiveLike(command, column, value, (string)clause.Value),
            FilterOp.ILike => $"LOWER({column}) LIKE LOWER({value})",
            _ => $"{column} {Operator(clause.Op)} {value}",
        };

        if (clause.Op is not FilterOp.Like)
        {
            command.With(value, clause.Value);
        }

        if (clause.Field.Kind == RunFieldKind.Attribute)
        {
            return Compare(AttributeColumn(clause.Field.Key));
        }

        command.With("@fk" + i, clause.Field.Key);
        // A NaN metric compares false with everything, as in SQL and IEEE 754.
        var notNaN = clause.Field.Kind == RunFieldKind.Metric ? " AND f.is_nan = 0" : "";
        return $"EXISTS (SELECT 1 FROM {Table(clause.Field.Kind)} f WHERE f.run_id = r.run_id AND f.key = @fk{i}{notNaN} AND {Compare("f.value")})";
    }

    private static string SortKey(DbCommand command, RunField field, int i)
    {
        if (field.Kind == RunFieldKind.Attribute)
        {
            return AttributeColumn(field.Key);
        }

        command.With("@ok" + i, field.Key);
        // NaN sorts as a missing value: last.
        var value = field.Kind == RunFieldKind.Metric ? "CASE WHEN f.is_nan = 0 THEN f.value END" : "f.value";
        return $"(SELECT {value} FROM {Table(field.Kind)} f WHERE f.run_id = r.run_id AND f.key = @ok{i})";
    }

    private static string Table(RunFieldKind kind) => kind switch
    {
        RunFieldKind.Metric => "latest_metrics",
        RunFieldKind.Param => "run_params",
        RunFieldKind.Tag => "run_tags",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string AttributeColumn(string key) => key switch
    {
        RunAttributes.Status => "r.status",
        RunAttributes.RunName => "r.name",
        RunAttributes.RunId => "r.run_id",
        RunAttributes.StartTime => "r.start_time",
        RunAttributes.EndTime => "r.end_time",
        _ => throw FerryException.Invalid($"Invalid attribute key '{key}' specified."),
    };

    private static string Operator(FilterOp op) => op switch
    {
        FilterOp.Equal => "=",
        FilterOp.NotEqual => "<>",
        FilterOp.Greater => ">",
        FilterOp.GreaterOrEqual => ">=",
        FilterOp.Less => "<",
        FilterOp.LessOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
