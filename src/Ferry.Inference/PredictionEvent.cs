using Ferry.Inference.Tensors;

namespace Ferry.Inference;

/// <summary>
/// One answered (or failed) request as the engine saw it. The tensors are borrowed for the duration of
/// <see cref="IPredictionTap.Observe"/> only; <see cref="Outputs"/> is empty when the request failed.
/// </summary>
/// <param name="RequestId">The client's request id; null when it sent none, and then <paramref name="MadeUpId"/> names the request.</param>
/// <param name="MadeUpId">
/// The id made up for a request without one; a value, so that a tap that logs it formats it off the hot path
/// (32 hex digits, <c>Guid.ToString("N")</c>).
/// </param>
public readonly record struct PredictionEvent(
    string? RequestId,
    Guid MadeUpId,
    string Model,
    string Version,
    bool Batched,
    IReadOnlyList<InferTensor> Inputs,
    IReadOnlyList<InferTensor> Outputs,
    TimeSpan Latency,
    string Status);
