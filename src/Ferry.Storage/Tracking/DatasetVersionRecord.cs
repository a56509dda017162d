namespace Ferry.Storage.Tracking;

/// <summary>
/// One immutable version of a dataset, identified by the digest of its content. <see cref="ProfileJson"/> is the
/// per-column profile that monitoring uses as the training reference; null for datasets logged by MLflow clients.
/// </summary>
public sealed record DatasetVersionRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required long Version { get; init; }

    public required string Digest { get; init; }

    public required string SourceType { get; init; }

    public required string Source { get; init; }

    public long SizeBytes { get; init; }

    public long RowCount { get; init; }

    public string? SchemaJson { get; init; }

    public string? ProfileJson { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
