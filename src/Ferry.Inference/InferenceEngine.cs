using System.Diagnostics;
using Ferry.Inference.Models;
using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference;

/// <summary>
/// The protocol-free entry of the data plane: resolves the model version, runs the request and reports timings.
/// REST and gRPC both call it, so both behave the same.
/// </summary>
public sealed class InferenceEngine
{
    private readonly ModelManager _models;
    private readonly IInferenceObserver _observer;

    public InferenceEngine(ModelManager models, IInferenceObserver observer)
    {
        _models = models;
        _observer = observer;
    }

    public ModelManager Models => _models;

    /// <summary>Runs one request. The inputs stay owned by the caller; the result's outputs pass to the caller.</summary>
    /// <exception cref="FerryException">With the code that says whose mistake it was.</exception>
    public ValueTask<InferenceResult> InferAsync(string model, string? version, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken cancellationToken)
    {
        using var lease = _models.Acquire(model, version);
        var loaded = lease.Version;
        cancellationToken.ThrowIfCancellationRequested();
        _observer.RequestStarted(model);
        try
        {
            var started = Stopwatch.GetTimestamp();
            List<InferTensor> outputs;
            try
            {
                outputs = loaded.Infer(inputs, requestedOutputs);
            }
            catch (OnnxRuntimeException e)
            {
                // The input passed validation, so the model itself refused these values (an index out of range, say).
                throw new FerryException(ErrorCode.InvalidArgument, $"model '{loaded.Name}' version {loaded.Version} failed on this input: {e.Message}", e);
            }

            _observer.Computed(model, loaded.VersionText, TimeSpan.Zero, Stopwatch.GetElapsedTime(started), BatchSizeOf(loaded, inputs));
            return ValueTask.FromResult(new InferenceResult(loaded.Name, loaded.VersionText, outputs));
        }
        finally
        {
            _observer.RequestEnded(model);
        }
    }

    private static int BatchSizeOf(ModelVersion model, IReadOnlyList<InferTensor> inputs) =>
        model.Config.MaxBatchSize > 0 && inputs.Count > 0 && inputs[0].Shape.Length > 0 ? (int)inputs[0].Shape[0] : 1;
}
