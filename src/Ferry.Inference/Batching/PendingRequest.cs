using System.Diagnostics;
using Ferry.Inference.Tensors;

namespace Ferry.Inference.Batching;

/// <summary>A validated request waiting in a model's queue, and the promise of its outputs.</summary>
internal sealed class PendingRequest
{
    private readonly TaskCompletionSource<List<InferTensor>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingRequest(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, int rows, CancellationToken cancellationToken)
    {
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
        foreach (var input in Inputs)
        {
            if (input.Name == name)
            {
                return input;
            }
        }

        throw new InvalidOperationException($"validated request lacks input '{name}'");
    }

    public void Complete(List<InferTensor> outputs)
    {
        if (!_completion.TrySetResult(outputs))
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }
        }
    }

    public void Fail(Exception error) => _completion.TrySetException(error);

    public void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
