namespace Ferry.Storage.Tracking;

public sealed record ExperimentQuery
{
    public const int MaxPageSize = 1000;

    /// <summary>Exact name, or null.</summary>
    public string? Name { get; init; }

    /// <summary>A SQL LIKE pattern on the name (<c>%</c>, <c>_</c>), or null.</summary>
    public string? NameLike { get; init; }

    public ViewType View { get; init; } = ViewType.ActiveOnly;

    public int MaxResults { get; init; } = 1000;

    public string? PageToken { get; init; }
}
