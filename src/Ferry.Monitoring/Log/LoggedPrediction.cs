namespace Ferry.Monitoring.Log;

/// <summary>One row of the prediction log, as the query API returns it.</summary>
public sealed record LoggedPrediction(
    string RequestId,
    int Row,
    DateTimeOffset Timestamp,
    string Model,
    string Version,
    double LatencyMs,
    string Status,
    IReadOnlyDictionary<string, object?> Inputs,
    IReadOnlyDictionary<string, object?> Outputs);
