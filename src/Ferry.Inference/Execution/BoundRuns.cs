using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Execution;

/// <summary>
/// The request shapes one session has bound (<see cref="BoundRun"/>), learnt from its unbound runs: a shape is bound
/// after its first run, when every tensor in and out is of a fixed-size type and no output is larger than
/// <see cref="MaxOutputBytes"/>. Inputs of any size bind: small ones are copied into the binding's buffers, large ones
/// bound where they lie (<see cref="BoundRun.InPlaceBytes"/>). Only the thread holding the session uses it.
/// </summary>
internal sealed class BoundRuns : IDisposable
{
    /// <summary>
    /// The largest output a bound shape keeps a pinned buffer for (each shape has its own, up to <see cref="MaxShapes"/>
    /// of them); a larger output leaves its shape unbound.
    /// </summary>
    public const int MaxOutputBytes = 64 * 1024;

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
        if (!Bindable(inputs, int.MaxValue) || !Bindable(outputs, MaxOutputBytes))
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

    private static bool Bindable(IReadOnlyList<InferTensor> tensors, int maxBytes)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            var tensor = tensors[i];
            if (tensor.DataType == DataType.Bytes || tensor.ByteLength == 0 || tensor.ByteLength > maxBytes)
            {
                return false;
            }
        }

        return true;
    }
}
