namespace Ferry.Monitoring.Log;

/// <summary>
/// Serialises the writer's appends with in-process reads of open segments, so a query sees flushed rows before
/// the segment is sealed without ever reading a footer half rewritten.
/// </summary>
public sealed class SegmentGate
{
    public SemaphoreSlim Lock { get; } = new(1, 1);
}
