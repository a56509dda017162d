namespace Ferry.Batch.Io;

/// <summary>
/// One unit of work: a Parquet row group or a block of CSV/JSONL rows, holding only the columns the job uses.
/// It is the unit of checkpointing and of sharding.
/// </summary>
public sealed record DataChunk
{
    public required int FileIndex { get; init; }

    public required int ChunkIndex { get; init; }

    /// <summary>The file's name relative to the input, as shown in messages.</summary>
    public required string FileName { get; init; }

    /// <summary>0-based index in the file of the chunk's first data row.</summary>
    public required long FirstRow { get; init; }

    public required int RowCount { get; init; }

    public required IReadOnlyDictionary<string, ChunkColumn> Columns { get; init; }

    /// <summary>Every column name the file has, for the message when one is missing.</summary>
    public required IReadOnlyList<string> FileColumns { get; init; }

    public IReadOnlyList<RowError> RowErrors { get; init; } = [];
}
