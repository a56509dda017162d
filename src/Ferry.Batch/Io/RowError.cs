namespace Ferry.Batch.Io;

/// <summary>A row a reader could not parse at all (a JSONL line that is not a JSON object); index within the chunk.</summary>
public sealed record RowError(int RowInChunk, string Column, string Reason);
