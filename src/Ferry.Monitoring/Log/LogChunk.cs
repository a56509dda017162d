namespace Ferry.Monitoring.Log;

/// <summary>
/// One row group of a segment: the fixed columns typed, the model's columns as <c>double?[]</c> or <c>string?[]</c>
/// by name. Rows outside the query's time range are included; <see cref="InRange"/> tells them apart.
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
