using System.Diagnostics;
using Ferry.Inference.Models;
using Ferry.Inference.Tensors;

namespace Ferry.Inference;

/// <summary>
/// The protocol-free entry of the data plane: resolves the model version, runs the request and reports timings.
/// REST and gRPC both call it, so both behave the same, and both feed the prediction tap from here.
/// </summary>
public sealed class InferenceEngine
{
    private readonly ModelManager _models;
    private readonly IInferenceObserver _observer;
    private readonly IPredictionTap _tap;

    public InferenceEngine(ModelManager models, IInferenceObserver observer, IPredictionTap? tap = null)
    {
        _models = models;
        _observer = observer;
        _tap = tap ?? NullPredictionTap.Instance;
    }

    public ModelManager Models => _models;

    /// <summary>Runs one request. The inputs stay owned by the caller; the result's outputs pass to the caller.</summary>
    /// <param name="requestId">The protocol's request id, or null to have one made up for the prediction log.</param>
    /// <exception cref="FerryException">With the code that says whose mistake it was.</exception>
    public async ValueTask<InferenceResult> InferAsync(string model, string? version, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken cancellationToken, string? requestId = null)
    {
        using var lease = _models.Acquire(model, version);
        var loaded = lease.Version;
        using var activity = InferenceTracing.Source.StartActivity("ferry.infer", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("ferry.model", loaded.Name);
            activity.SetTag("ferry.model_version", loaded.VersionText);
            activity.SetTag("ferry.request_id", requestId);
        }

        var captured = _tap.Wants(loaded.Name);
        var started = captured ? Stopwatch.GetTimestamp() : 0;
        // The version's own name (not the caller's copy): the metrics find its series by reference.
        _observer.RequestStarted(loaded.Name);
        try
        {
            var outputs = await loaded.InferAsync(inputs, requestedOutputs, cancellationToken).ConfigureAwait(false);
            if (captured)
            {
                _tap.Observe(new PredictionEvent(requestId, requestId is null ? MadeUpRequestIds.Next() : Guid.Empty, loaded.Name, loaded.VersionText, HasBatchDimension(loaded), inputs, outputs, Stopwatch.GetElapsedTime(started), "ok"));
            }

            return new InferenceResult(loaded.Name, loaded.VersionText, outputs);
        }
        catch (FerryException e) when (captured || activity is not null)
        {
            if (activity is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, e.Message);
                activity.SetTag("ferry.error", e.Code.ToString());
            }

            if (captured)
            {
                _tap.Observe(new PredictionEvent(requestId, requestId is null ? MadeUpRequestIds.Next() : Guid.Empty, loaded.Name, loaded.VersionText, HasBatchDimension(loaded), inputs, [], Stopwatch.GetElapsedTime(started), e.Code.ToString()));
            }

            throw;
        }
        finally
        {
            _observer.RequestEnded(loaded.Name);
        }
    }

    /// <summary>
    /// Whether the first dimension of a request is rows: the model batches, or every input's first dimension is
    /// dynamic (ML.NET and scikit-learn exports declare [-1, k] without a batching config).
    /// </summary>
    private static bool HasBatchDimension(ModelVersion version)
    {
        if (version.Config.MaxBatchSize > 0)
        {
            return true;
        }

        var inputs = version.Signature.Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Shape.Length == 0 || inputs[i].Shape[0] != -1)
            {
                return false;
            }
        }

        return inputs.Count > 0;
    }
}
