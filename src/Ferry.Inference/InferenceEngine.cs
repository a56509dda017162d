using Ferry.Inference.Models;
using Ferry.Inference.Tensors;

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
    public async ValueTask<InferenceResult> InferAsync(string model, string? version, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken cancellationToken)
    {
        using var lease = _models.Acquire(model, version);
        var loaded = lease.Version;
        _observer.RequestStarted(model);
        try
        {
            var outputs = await loaded.InferAsync(inputs, requestedOutputs, cancellationToken).ConfigureAwait(false);
            return new InferenceResult(loaded.Name, loaded.VersionText, outputs);
        }
        finally
        {
            _observer.RequestEnded(model);
        }
    }
}
