namespace Ferry.Monitoring.Log;

/// <summary>
/// The columns every segment has, before the model's own. Model columns are <c>in.NAME</c> / <c>out.NAME</c> for a
/// tensor with one element per row and <c>in.NAME[j]</c> for one with several (flattened, row-major); see
/// <see cref="SegmentLayout"/>.
/// </summary>
public static class LogColumns
{
    public const string RequestId = "request_id";
    public const string Row = "row";
    public const string TimestampMs = "timestamp_ms";
    /// <summary>Not stored in segments (their folders say it); written by exports.</summary>
    public const string Model = "model";

    /// <summary>Not stored in segments (their folders say it); written by exports.</summary>
    public const string Version = "version";
    public const string LatencyMs = "latency_ms";
    public const string Status = "status";
    public const string InputPrefix = "in.";
    public const string OutputPrefix = "out.";
}
