namespace Ferry.Storage;

/// <summary>One immutable version of a registered model: its artifact digest, signature and lineage.</summary>
public sealed record ModelVersionRecord
{
    public required string ModelName { get; init; }

    public required long Version { get; init; }

    /// <summary>Lower-case hex SHA-256 of the artifact, the blob store's key.</summary>
    public required string BlobDigest { get; init; }

    public required long SizeBytes { get; init; }

    public required ModelSignature Signature { get; init; }

    public required ModelVersionStatus Status { get; init; }

    public string? Description { get; init; }

    public string? SourceRunId { get; init; }

    public IReadOnlyList<string> DatasetVersionIds { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Aliases { get; init; } = [];
}
