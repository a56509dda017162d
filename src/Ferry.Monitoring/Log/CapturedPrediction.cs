namespace Ferry.Monitoring.Log;

/// <summary>
/// A prediction held as plain objects, for tests and tools that feed the log directly
/// (<see cref="PredictionChannel.TryWrite"/> copies it into the pooled <see cref="PredictionCapture"/> the data plane's tap makes).
/// </summary>
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
