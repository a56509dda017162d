using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Execution;

/// <summary>
/// The request shapes one session has bound (<see cref="BoundRun"/>), learnt from its unbound runs: a shape is bound
/// after its first run, when every tensor in and out is of a fixed-size type and small enough that copying it costs
/// less than creating a value for it. Only the thread holding the session uses it.
/// </summary>
internal sealed class BoundRuns : IDisposable
{
    /// <summary>Tensors up to this size are copied into bound buffers; larger ones are bound where they are.</summary>
    public const int MaxTensorBytes = 16 * 1024;

    /// <summary>Distinct shapes kept per session (batches of every size up to 64 rows fit); past it they are forgotten and learnt again.</summary>
    private const int MaxShapes = 80;

    private readonly List<BoundRun> _runs = [];

    public BoundRun? Find(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames)
    {
        // The shape bound last is the likeliest: requests of one client look alike.
        for (var i = _runs.Count - 1; i >= 0; i--)
        {
            if (_runs[i].Matches(inputs, outputNames))
            {
                return _runs[i];
            }
        }

        return null;
    }

    /// <summary>Binds the shape of an unbound run that succeeded, when its tensors can be bound.</summary>
    public void Learn(InferenceSession session, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, IReadOnlyList<InferTensor> outputs)
    {
        if (!Bindable(inputs) || !Bindable(outputs))
        {
            return;
        }

        if (_runs.Count == MaxShapes)
        {
            Dispose();
        }

        _runs.Add(new BoundRun(session, inputs, outputNames, outputs));
    }

    public void Dispose()
    {
        foreach (var run in _runs)
        {
            run.Dispose();
        }

        _runs.Clear();
    }

    private static bool Bindable(IReadOnlyList<InferTensor> tensors)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            var tensor = tensors[i];
            if (tensor.DataType == DataType.Bytes || tensor.ByteLength is 0 or > MaxTensorBytes)
            {
                return false;
            }
        }

        return true;
    }
}
