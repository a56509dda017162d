namespace Ferry.Monitoring.Alerts;

/// <summary>A rule's standing after its latest evaluation, as the API and <c>/metrics</c> show it.</summary>
public sealed record AlertState(
    AlertRule Rule,
    bool Firing,
    DateTimeOffset? Since,
    double? LastValue,
    long LastSamples,
    string? LastDetail,
    DateTimeOffset? LastEvaluated,
    string? LastError,
    long Firings);
