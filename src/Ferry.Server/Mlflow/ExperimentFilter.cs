using Ferry.Storage.Tracking;
using Ferry.Tracking.Runs;

namespace Ferry.Server.Mlflow;

/// <summary>The experiment search filter Ferry supports: one clause on the name (<c>name = 'x'</c> or <c>name LIKE 'x%'</c>).</summary>
internal static class ExperimentFilter
{
    public static ExperimentQuery Apply(ExperimentQuery query, string? filter)
    {
        // The run filter grammar reads "name" as the run_name attribute; the same clause shape names the experiment here.
        var clauses = RunFilter.Parse(filter);
        if (clauses.Count == 0)
        {
            return query;
        }

        if (clauses is not [{ Field: { Kind: RunFieldKind.Attribute, Key: RunAttributes.RunName }, Op: FilterOp.Equal or FilterOp.Like } clause])
        {
            throw FerryException.Invalid($"Unsupported experiment filter '{filter}': only name = '...' or name LIKE '...' is supported");
        }

        return clause.Op == FilterOp.Equal ? query with { Name = (string)clause.Value } : query with { NameLike = (string)clause.Value };
    }
}
