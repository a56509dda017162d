using System.Diagnostics;
using Ferry.Inference.Tensors;

namespace Ferry.Inference.Batching;

/// <summary>A validated request waiting in a model's queue, and the promise of its outputs.</summary>
internal sealed class PendingRequest
{
    private readonly TaskCompletionSource<List<InferTensor>> _completion;
    private bool _holding;
    private List<InferTensor>? _heldOutputs;
    private Exception? _heldError;

    /// <param name="synchronousContinuations">
    /// Whether the caller's continuation (encoding and writing the answer) runs on the thread that completes the
    /// request, instead of being queued to the thread pool.
    /// </param>
    public PendingRequest(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, int rows, CancellationToken cancellationToken, bool synchronousContinuations = false)
    {
        _completion = new(synchronousContinuations ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        Inputs = inputs;
        RequestedOutputs = requestedOutputs;
        Rows = rows;
        CancellationToken = cancellationToken;
        EnqueuedAt = Stopwatch.GetTimestamp();
    }

    public IReadOnlyList<InferTensor> Inputs { get; }

    public IReadOnlyList<string>? RequestedOutputs { get; }

    /// <summary>Rows along the batch dimension; 1 for a model without one.</summary>
    public int Rows { get; }

    public CancellationToken CancellationToken { get; }

    public long EnqueuedAt { get; }

    public Task<List<InferTensor>> Task => _completion.Task;

    public InferTensor Input(string name)
    {
        var inputs = Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Name == name)
            {
                return inputs[i];
            }
        }

        throw new InvalidOperationException($"validated request lacks input '{name}'");
    }

    /// <summary>Whether the request has its outputs or its error, given or held back by <see cref="Hold"/>.</summary>
    public bool IsDone => _completion.Task.IsCompleted || _heldOutputs is not null || _heldError is not null;

    /// <summary>
    /// Makes <see cref="Complete"/> and <see cref="Fail"/> keep the result until <see cref="Publish"/>: a runner
    /// whose requests' continuations run on it gives its session back before they write the answers.
    /// </summary>
    public void Hold() => _holding = true;

    public void Complete(List<InferTensor> outputs)
    {
        if (_holding)
        {
            _heldOutputs = outputs;
            return;
        }

        if (!_completion.TrySetResult(outputs))
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }
        }
    }

    public void Fail(Exception error)
    {
        if (_holding)
        {
            _heldError = error;
            return;
        }

        _completion.TrySetException(error);
    }

    /// <summary>Gives the result kept since <see cref="Hold"/> to the caller.</summary>
    public void Publish()
    {
        _holding = false;
        if (_heldOutputs is { } outputs)
        {
            _heldOutputs = null;
            Complete(outputs);
        }
        else if (_heldError is { } error)
        {
            _heldError = null;
            Fail(error);
        }
    }

    public void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
