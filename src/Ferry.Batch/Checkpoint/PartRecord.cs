namespace Ferry.Batch.Checkpoint;

/// <summary>A part file that is durably on disk, and its counts.</summary>
public sealed record PartRecord
{
    public required int File { get; init; }

    public required int Chunk { get; init; }

    public required string Name { get; init; }

    public required long RowsIn { get; init; }

    public required long RowsOut { get; init; }

    public required long Skipped { get; init; }

    public required long Nulled { get; init; }
}
