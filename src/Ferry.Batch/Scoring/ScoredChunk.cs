using Ferry.Batch.Io;

namespace Ferry.Batch.Scoring;

/// <summary>A chunk's output rows: the kept columns, then the model outputs' columns, all of one length.</summary>
public sealed record ScoredChunk
{
    public required DataChunk Source { get; init; }

    public required IReadOnlyList<ChunkColumn> Columns { get; init; }

    public required int RowsOut { get; init; }

    public required int Skipped { get; init; }

    /// <summary>Rows written with null outputs under <see cref="ErrorPolicy.Null"/>.</summary>
    public required int Nulled { get; init; }
}
