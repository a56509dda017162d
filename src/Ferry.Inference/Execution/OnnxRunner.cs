using System.Buffers;
using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Execution;

/// <summary>
/// Runs a model version's sessions. A request of a shape the session has run before goes through that shape's
/// <see cref="BoundRun"/> (small tensors copied into values bound once); any other is bound where it lies: request
/// tensors as ONNX Runtime values over their pinned buffers, outputs allocated by ONNX Runtime and copied out.
/// </summary>
/// <remarks>
/// On the FastTree flights model one unbound run costs about 8.5 µs, a bound one about 3.5 µs (bench/README.md, "Serving").
/// Owns the bound runs of every session; <see cref="Dispose"/> before the sessions.
/// </remarks>
internal sealed class OnnxRunner : IDisposable
{
    private static readonly RunOptions SharedRunOptions = new();
    private readonly string[] _allOutputs;
    private readonly InferenceSession[] _sessions;
    private readonly BoundRuns[] _bound;
    private volatile bool _bindingFails;

    public OnnxRunner(ModelSignature signature, InferenceSession[] sessions)
    {
        _allOutputs = signature.Outputs.Select(o => o.Name).ToArray();
        _sessions = sessions;
        _bound = sessions.Select(_ => new BoundRuns()).ToArray();
    }

    /// <summary>Runs on <paramref name="session"/>, which the calling thread holds alone.</summary>
    /// <returns>The outputs in the order asked for (all outputs when <paramref name="requestedOutputs"/> is null); the caller disposes them.</returns>
    public List<InferTensor> Run(InferenceSession session, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs)
    {
        IReadOnlyList<string> outputNames = requestedOutputs is { Count: > 0 } ? requestedOutputs : _allOutputs;
        var bound = _bindingFails ? null : BoundRunsOf(session);
        if (bound?.Find(inputs, outputNames) is { } run)
        {
            try
            {
                return run.Run(session, SharedRunOptions, inputs);
            }
            catch (OnnxRuntimeException)
            {
                // Either these values make the model fail, and the unbound run below fails the same way, or the model's
                // outputs change shape with the values (the bound buffers no longer fit): then stop binding for good.
                var outputs = RunUnbound(session, inputs, outputNames);
                _bindingFails = true;
                return outputs;
            }
        }

        var result = RunUnbound(session, inputs, outputNames);
        if (bound is not null)
        {
            try
            {
                bound.Learn(session, inputs, outputNames, result);
            }
            catch (OnnxRuntimeException)
            {
                // This session cannot bind these values; the unbound path answers as before.
                _bindingFails = true;
            }
        }

        return result;
    }

    public void Dispose()
    {
        foreach (var bound in _bound)
        {
            bound.Dispose();
        }
    }

    private BoundRuns? BoundRunsOf(InferenceSession session)
    {
        for (var i = 0; i < _sessions.Length; i++)
        {
            if (ReferenceEquals(_sessions[i], session))
            {
                return _bound[i];
            }
        }

        return null;
    }

    private static List<InferTensor> RunUnbound(InferenceSession session, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames)
    {
        var names = new string[inputs.Count];
        var values = new OrtValue[inputs.Count];
        var pins = new MemoryHandle[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                names[i] = inputs[i].Name;
                values[i] = Bind(inputs[i], ref pins[i]);
            }

            using var results = session.Run(SharedRunOptions, names, values, outputNames);
            var outputs = new List<InferTensor>(results.Count);
            for (var k = 0; k < outputNames.Count; k++)
            {
                outputs.Add(CopyOut(outputNames[k], results[k]));
            }

            return outputs;
        }
        finally
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i]?.Dispose();
                pins[i].Dispose();
            }
        }
    }

    /// <summary>A value over the tensor where it lies, pinned by <paramref name="pin"/> until the caller disposes both.</summary>
    internal static unsafe OrtValue Bind(InferTensor tensor, ref MemoryHandle pin)
    {
        if (tensor.DataType == DataType.Bytes)
        {
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
            var strings = tensor.Strings!;
            for (var i = 0; i < strings.Length; i++)
            {
                value.StringTensorSetElementAt(strings[i].AsSpan(), i);
            }

            return value;
        }

        pin = tensor.Memory.Length > 0 ? tensor.Memory.Pin() : default;
        var pointer = tensor.Memory.Length > 0 ? (IntPtr)pin.Pointer : IntPtr.Zero;
        if (pointer == IntPtr.Zero)
        {
            // An empty tensor still needs an allocation of ONNX Runtime's own.
            return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, OnnxTypes.ToOnnx(tensor.DataType), tensor.Shape);
        }

        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, OnnxTypes.ToOnnx(tensor.DataType), tensor.Shape, pointer, tensor.ByteLength);
    }

    private static InferTensor CopyOut(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        if (!OnnxTypes.TryFromOnnx(info.ElementDataType, out var dataType))
        {
            throw new FerryException(ErrorCode.Internal, $"output '{name}' has element type {info.ElementDataType}, which the protocol cannot carry");
        }

        var shape = info.Shape;
        if (dataType == DataType.Bytes)
        {
            var count = (int)info.ElementCount;
            var elements = new byte[count][];
            for (var i = 0; i < count; i++)
            {
                elements[i] = value.GetStringElementAsSpan(i).ToArray();
            }

            return InferTensor.FromStrings(name, shape, elements);
        }

        var tensor = InferTensor.AllocateUninitialized(name, dataType, shape);
        value.GetTensorMutableRawData()[..tensor.ByteLength].CopyTo(tensor.Bytes);
        return tensor;
    }
}
