namespace Ferry.Monitoring.Alerts;

/// <summary>
/// A change of an alert's state: <c>firing</c> when its condition starts to hold, <c>resolved</c> when it stops.
/// <see cref="Value"/> is what was measured, with <see cref="Samples"/> rows behind it.
/// </summary>
public sealed record AlertEvent(
    string Id,
    string Rule,
    string Model,
    string Kind,
    string? Metric,
    string State,
    double Value,
    string Op,
    double Threshold,
    long Samples,
    DateTimeOffset At,
    string Message);
