using Ferry.Inference.Tensors;

namespace Ferry.Inference;

/// <summary>
/// One answered (or failed) request as the engine saw it. The tensors are borrowed for the duration of
/// <see cref="IPredictionTap.Observe"/> only; <see cref="Outputs"/> is empty when the request failed.
/// </summary>
public readonly record struct PredictionEvent(
    string RequestId,
    string Model,
    string Version,
    bool Batched,
    IReadOnlyList<InferTensor> Inputs,
    IReadOnlyList<InferTensor> Outputs,
    TimeSpan Latency,
    string Status);
