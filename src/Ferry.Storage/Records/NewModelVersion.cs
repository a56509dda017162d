namespace Ferry.Storage;

/// <summary>What a registration writes; the store gives the version its number.</summary>
public sealed record NewModelVersion
{
    public required string ModelName { get; init; }

    public required string BlobDigest { get; init; }

    public required long SizeBytes { get; init; }

    public required ModelSignature Signature { get; init; }

    public ModelVersionStatus Status { get; init; } = ModelVersionStatus.Ready;

    public string? Description { get; init; }

    public string? SourceRunId { get; init; }

    public IReadOnlyList<string> DatasetVersionIds { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public required DateTimeOffset CreatedAt { get; init; }

    public required string CreatedBy { get; init; }
}
