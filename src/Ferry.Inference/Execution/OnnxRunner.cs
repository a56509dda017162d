using System.Buffers;
using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Execution;

/// <summary>Binds request tensors to ONNX Runtime values without copying fixed-size data, runs, and copies results out.</summary>
internal sealed class OnnxRunner
{
    private static readonly RunOptions SharedRunOptions = new();
    private readonly string[] _allOutputs;

    public OnnxRunner(ModelSignature signature)
    {
        _allOutputs = signature.Outputs.Select(o => o.Name).ToArray();
    }

    /// <returns>The outputs in the order asked for (all outputs when <paramref name="requestedOutputs"/> is null); the caller disposes them.</returns>
    public List<InferTensor> Run(InferenceSession session, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs)
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

            IReadOnlyCollection<string> outputNames = requestedOutputs is { Count: > 0 } ? requestedOutputs : _allOutputs;
            using var results = session.Run(SharedRunOptions, names, values, outputNames);
            var outputs = new List<InferTensor>(results.Count);
            var k = 0;
            foreach (var name in outputNames)
            {
                outputs.Add(CopyOut(name, results[k++]));
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

    private static unsafe OrtValue Bind(InferTensor tensor, ref MemoryHandle pin)
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
