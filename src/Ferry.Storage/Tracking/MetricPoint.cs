namespace Ferry.Storage.Tracking;

/// <summary>One value of a metric series; <see cref="Timestamp"/> is Unix milliseconds as the client sent it.</summary>
public sealed record MetricPoint(string Key, double Value, long Timestamp, long Step);
