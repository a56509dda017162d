namespace Ferry.Monitoring.Log;

/// <summary>
/// One row group of a segment: the fixed columns typed, the model's columns as <c>double[]</c> (NaN where missing) or
/// <c>string?[]</c>
/// by name. A projected read (<see cref="PredictionLogReader.ReadAsync"/> with <c>only</c>) leaves the text and
/// latency arrays empty. Rows outside the query's time range are included; <see cref="InRange"/> tells them apart.
/// </summary>
public sealed record LogChunk(
    string Model,
    string Version,
    int RowCount,
    string[] RequestIds,
    int[] Rows,
    long[] TimestampsMs,
    double[] LatenciesMs,
    string[] Statuses,
    IReadOnlyDictionary<string, Array> Columns)
{
    public bool InRange(int i, long fromMs, long toMs) => TimestampsMs[i] >= fromMs && TimestampsMs[i] < toMs;
}
