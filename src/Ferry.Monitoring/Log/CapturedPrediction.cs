namespace Ferry.Monitoring.Log;

/// <summary>One request on its way from the tap to the writer; immutable once made.</summary>
public sealed record CapturedPrediction(
    string RequestId,
    DateTimeOffset Timestamp,
    string Model,
    string Version,
    bool Batched,
    CapturedTensor[] Inputs,
    CapturedTensor[] Outputs,
    double LatencyMs,
    string Status);
