namespace Ferry.Monitoring.Log;

/// <summary>Counters of the prediction log, read by the server's <c>/metrics</c>; updated without locks.</summary>
public sealed class PredictionLogStats
{
    private long _captured;
    private long _dropped;
    private long _rowsWritten;
    private long _writeFailures;

    public long Captured => Interlocked.Read(ref _captured);

    /// <summary>Requests not logged because the channel to the writer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long RowsWritten => Interlocked.Read(ref _rowsWritten);

    /// <summary>Flushes that failed (disk full, folder unwritable); their rows are lost.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    internal void AddCaptured() => Interlocked.Increment(ref _captured);

    internal void AddDropped() => Interlocked.Increment(ref _dropped);

    internal void AddRowsWritten(long rows) => Interlocked.Add(ref _rowsWritten, rows);

    internal void AddWriteFailure() => Interlocked.Increment(ref _writeFailures);
}
