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
        var call = Start(model, version, inputs, requestedOutputs, cancellationToken, requestId);
        try
        {
            return Finish(call, await call.Outputs.ConfigureAwait(false));
        }
        catch (FerryException e)
        {
            Failed(call, e);
            throw;
        }
        finally
        {
            End(call);
        }
    }

    /// <summary>
    /// Starts one request: <see cref="InferAsync"/> in three parts, for a caller that awaits the outputs in its own
    /// async method rather than through another one (one state machine less on the hot path). Await
    /// <see cref="InferenceCall.Outputs"/>, then call <see cref="Finish"/> with them, or <see cref="Failed"/> with a
    /// <see cref="FerryException"/> it throws; and <see cref="End"/> in every case, once.
    /// </summary>
    /// <exception cref="FerryException">The model is unknown or unavailable (nothing to end then).</exception>
    public InferenceCall Start(string model, string? version, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken cancellationToken, string? requestId = null)
    {
        var lease = _models.Acquire(model, version);
        var loaded = lease.Version;
        Activity? activity = null;
        try
        {
            activity = InferenceTracing.Source.StartActivity("ferry.infer", ActivityKind.Internal);
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
            Task<List<InferTensor>> outputs;
            try
            {
                outputs = loaded.InferAsync(inputs, requestedOutputs, cancellationToken);
            }
            catch (Exception e)
            {
                // Refused before it queued (validation, a full queue): the caller sees it where it awaits the outputs.
                outputs = Task.FromException<List<InferTensor>>(e);
            }

            return new InferenceCall(lease, activity, outputs, inputs, requestId, captured, started);
        }
        catch
        {
            activity?.Dispose();
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The result of a call whose <see cref="InferenceCall.Outputs"/> succeeded; the outputs pass to it.</summary>
    public InferenceResult Finish(in InferenceCall call, List<InferTensor> outputs)
    {
        var loaded = call.Lease.Version;
        if (call.Captured)
        {
            _tap.Observe(new PredictionEvent(call.RequestId, call.RequestId is null ? MadeUpRequestIds.Next() : Guid.Empty, loaded.Name, loaded.VersionText, HasBatchDimension(loaded), call.Inputs, outputs, Stopwatch.GetElapsedTime(call.Started), "ok"));
        }

        return new InferenceResult(loaded.Name, loaded.VersionText, outputs);
    }

    /// <summary>Records a call whose outputs failed with <paramref name="error"/> (in the trace and the prediction log).</summary>
    public void Failed(in InferenceCall call, FerryException error)
    {
        if (call.Activity is { } activity)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.SetTag("ferry.error", error.Code.ToString());
        }

        if (call.Captured)
        {
            var loaded = call.Lease.Version;
            _tap.Observe(new PredictionEvent(call.RequestId, call.RequestId is null ? MadeUpRequestIds.Next() : Guid.Empty, loaded.Name, loaded.VersionText, HasBatchDimension(loaded), call.Inputs, [], Stopwatch.GetElapsedTime(call.Started), error.Code.ToString()));
        }
    }

    /// <summary>Ends a call, whichever way it went: the request is no longer in flight and the version is given back.</summary>
    public void End(in InferenceCall call)
    {
        var loaded = call.Lease.Version;
        _observer.RequestEnded(loaded.Name);
        call.Activity?.Dispose();
        call.Lease.Dispose();
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

/// <summary>A request started by <see cref="InferenceEngine.Start"/>: the outputs to await, and what ending it needs.</summary>
public readonly struct InferenceCall
{
    internal InferenceCall(ModelLease lease, Activity? activity, Task<List<InferTensor>> outputs, IReadOnlyList<InferTensor> inputs, string? requestId, bool captured, long started)
    {
        Lease = lease;
        Activity = activity;
        Outputs = outputs;
        Inputs = inputs;
        RequestId = requestId;
        Captured = captured;
        Started = started;
    }

    /// <summary>The outputs, which pass to the caller through <see cref="InferenceEngine.Finish"/>.</summary>
    public Task<List<InferTensor>> Outputs { get; }

    internal ModelLease Lease { get; }

    internal Activity? Activity { get; }

    internal IReadOnlyList<InferTensor> Inputs { get; }

    internal string? RequestId { get; }

    internal bool Captured { get; }

    internal long Started { get; }
}
