namespace Ferry.Batch;

/// <summary>A snapshot of a running job, reported after every part.</summary>
public sealed record BatchProgress
{
    public required long RowsDone { get; init; }

    /// <summary>Rows this run will read, when known in advance (Parquet input); null for CSV and JSONL.</summary>
    public long? RowsTotal { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Rows scored by this run per second (resumed parts are not counted).</summary>
    public required double RowsPerSecond { get; init; }
}
