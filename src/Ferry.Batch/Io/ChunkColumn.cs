using Parquet.Schema;

namespace Ferry.Batch.Io;

/// <summary>One column of a chunk. <see cref="Values"/> has one element per row of the chunk.</summary>
public sealed record ChunkColumn
{
    public required string Name { get; init; }

    public required ColumnKind Kind { get; init; }

    public required Array Values { get; init; }

    /// <summary>The Parquet field the values came from (<see cref="ColumnKind.Typed"/> only), reused to write them.</summary>
    public DataField? Field { get; init; }
}
