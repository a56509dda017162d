namespace Ferry.Storage.Tracking;

/// <summary>One point of a series whose key the reader already knows: what a history batch holds, with no key per point.</summary>
public readonly record struct MetricSample(double Value, long Timestamp, long Step);
