using Ferry.Storage;
using Ferry.Storage.Tracking;
using Ferry.Tracking.Runs;

namespace Ferry.Server.Mlflow;

/// <summary>
/// The search filters of <c>registered-models/search</c> and <c>model-versions/search</c> that the registry's
/// indexes answer: <c>name = 'x'</c>, <c>name LIKE 'x%'</c> or <c>'%x%'</c>, one <c>tags.k = 'v'</c>, and for versions
/// <c>run_id = '...'</c>, joined by AND. Anything else is INVALID_PARAMETER_VALUE naming <c>filter</c>.
/// </summary>
internal static class MlflowRegistryFilter
{
    public const int DefaultModelResults = 100;
    public const int MaxModelResults = 1000;
    public const int DefaultVersionResults = 10_000;
    public const int MaxVersionResults = 200_000;

    /// <summary>The model query, and the exact name when the filter names one model.</summary>
    public static (ModelQuery Query, string? ExactName) Models(MlflowRegistryRequest request)
    {
        CheckOrderBy(request.OrderBy);
        var pageSize = PageSize(request.MaxResults, DefaultModelResults, MaxModelResults);
        var query = new ModelQuery { PageSize = pageSize, PageToken = request.PageToken };
        string? exact = null;
        foreach (var clause in RunFilter.Parse(request.Filter))
        {
            switch (clause)
            {
                case { Field: { Kind: RunFieldKind.Attribute, Key: RunAttributes.RunName }, Op: FilterOp.Equal }:
                    exact = (string)clause.Value;
                    break;
                case { Field: { Kind: RunFieldKind.Attribute, Key: RunAttributes.RunName }, Op: FilterOp.Like }:
                    var like = Like((string)clause.Value, request.Filter);
                    exact = like.Exact ?? exact;
                    query = query with { NamePrefix = like.Prefix ?? query.NamePrefix, NameContains = like.Contains ?? query.NameContains };
                    break;
                case { Field.Kind: RunFieldKind.Tag, Op: FilterOp.Equal } when query.Tag is null:
                    query = query with { Tag = new TagFilter(clause.Field.Key, (string)clause.Value) };
                    break;
                default:
                    throw Unsupported(request.Filter, "name = '...', name LIKE '...', tags.<key> = '...'");
            }
        }

        return (query, exact);
    }

    public static VersionQuery Versions(MlflowRegistryRequest request)
    {
        CheckOrderBy(request.OrderBy);
        var query = new VersionQuery
        {
            PageSize = Math.Min(PageSize(request.MaxResults, DefaultVersionResults, MaxVersionResults), ModelQuery.MaxPageSize),
            PageToken = request.PageToken,
        };
        foreach (var clause in RunFilter.Parse(request.Filter))
        {
            switch (clause)
            {
                case { Field: { Kind: RunFieldKind.Attribute, Key: RunAttributes.RunName }, Op: FilterOp.Equal }:
                    query = query with { ModelName = (string)clause.Value };
                    break;
                case { Field: { Kind: RunFieldKind.Attribute, Key: RunAttributes.RunName }, Op: FilterOp.Like }:
                    var like = Like((string)clause.Value, request.Filter);
                    query = like.Contains is null
                        ? query with { ModelName = like.Exact ?? query.ModelName, NamePrefix = like.Prefix ?? query.NamePrefix }
                        : throw Unsupported(request.Filter, "name LIKE 'prefix%' for versions");
                    break;
                case { Field: { Kind: RunFieldKind.Attribute, Key: RunAttributes.RunId }, Op: FilterOp.Equal }:
                    query = query with { SourceRunId = (string)clause.Value };
                    break;
                case { Field.Kind: RunFieldKind.Tag, Op: FilterOp.Equal } when query.Tag is null:
                    query = query with { Tag = new TagFilter(clause.Field.Key, (string)clause.Value) };
                    break;
                default:
                    throw Unsupported(request.Filter, "name = '...', name LIKE '...%', run_id = '...', tags.<key> = '...'");
            }
        }

        return query;
    }

    private static (string? Exact, string? Prefix, string? Contains) Like(string pattern, string? filter)
    {
        if (pattern.Contains('_', StringComparison.Ordinal))
        {
            // '_' is a one-character wildcard in LIKE and common in model names; the indexes cannot answer it.
            throw Unsupported(filter, "LIKE patterns without '_'");
        }

        var inner = pattern.Trim('%');
        if (inner.Contains('%', StringComparison.Ordinal))
        {
            throw Unsupported(filter, "LIKE 'x', 'x%' or '%x%'");
        }

        return (pattern.StartsWith('%'), pattern.EndsWith('%')) switch
        {
            (false, false) => (inner, null, null),
            (false, true) => (null, inner, null),
            (true, true) => (null, null, inner.Length == 0 ? null : inner),
            _ => throw Unsupported(filter, "LIKE 'x', 'x%' or '%x%'"),
        };
    }

    private static int PageSize(long? maxResults, int fallback, int max) => maxResults switch
    {
        null => fallback,
        >= 1 and var n when n <= max => (int)n,
        var n => throw FerryException.Invalid($"Invalid value {n} for parameter 'max_results': it must be between 1 and {max}"),
    };

    private static void CheckOrderBy(IReadOnlyList<string>? orderBy)
    {
        foreach (var clause in orderBy ?? [])
        {
            if (!string.Equals(clause.Trim(), "name", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(string.Join(' ', clause.Split(' ', StringSplitOptions.RemoveEmptyEntries)), "name ASC", StringComparison.OrdinalIgnoreCase))
            {
                throw FerryException.Invalid($"Invalid value '{clause}' for parameter 'order_by': only 'name ASC' is supported");
            }
        }
    }

    private static FerryException Unsupported(string? filter, string supported) =>
        FerryException.Invalid($"Invalid value '{filter}' for parameter 'filter': supported are {supported}, joined by AND");
}
