namespace Ferry.Storage.Tracking;

public sealed record RunQuery
{
    public const int MaxPageSize = 50000;

    public IReadOnlyList<long> ExperimentIds { get; init; } = [];

    /// <summary>Clauses that must all hold (the filter's ANDs).</summary>
    public IReadOnlyList<RunFilterClause> Filter { get; init; } = [];

    /// <summary>Sort keys in order; the start time (newest first) and run id break ties.</summary>
    public IReadOnlyList<RunOrder> OrderBy { get; init; } = [];

    public ViewType View { get; init; } = ViewType.ActiveOnly;

    public int MaxResults { get; init; } = 1000;

    public string? PageToken { get; init; }
}
