namespace Ferry.Storage;

/// <summary>A search over registered models, ordered by name.</summary>
public sealed record ModelQuery
{
    public const int MaxPageSize = 1000;

    /// <summary>Case-sensitive substring of the name.</summary>
    public string? NameContains { get; init; }

    public string? NamePrefix { get; init; }

    public TagFilter? Tag { get; init; }

    /// <summary>Only models that have an alias of this name.</summary>
    public string? Alias { get; init; }

    public int PageSize { get; init; } = 100;

    public string? PageToken { get; init; }
}
