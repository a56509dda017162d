namespace Ferry.Storage;

/// <summary>A search over model versions, ordered by model name and then newest version first.</summary>
public sealed record VersionQuery
{
    public string? ModelName { get; init; }

    public string? NamePrefix { get; init; }

    public TagFilter? Tag { get; init; }

    public string? Alias { get; init; }

    public ModelVersionStatus? Status { get; init; }

    /// <summary>Only versions whose artifact has this digest.</summary>
    public string? BlobDigest { get; init; }

    /// <summary>Only versions registered from this run.</summary>
    public string? SourceRunId { get; init; }

    public int PageSize { get; init; } = 100;

    public string? PageToken { get; init; }
}
