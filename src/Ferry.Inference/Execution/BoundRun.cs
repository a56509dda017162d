using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Execution;

/// <summary>
/// One request shape of one session, bound once: an <see cref="OrtIoBinding"/> whose inputs and outputs are ONNX
/// Runtime values over pinned buffers of their own. A run copies the request's bytes in, runs the binding and copies
/// the outputs out, where an unbound run creates and releases a value per tensor and lets ONNX Runtime allocate
/// every output. An input of <see cref="InPlaceBytes"/> or more is not copied: each run binds a value over the
/// request's own memory, pinned for the run (an image's 110 KB would cost more to copy than the value costs to make).
/// </summary>
/// <remarks>
/// Only the thread holding the session uses it, so it takes no lock. It owns its values and binding; the pinned
/// buffers are managed arrays on the pinned object heap and go with it. Between runs the binding may still name the
/// last request's memory for an in-place input; ONNX Runtime reads it only inside a run, which always rebinds it.
/// </remarks>
internal sealed class BoundRun : IDisposable
{
    /// <summary>Inputs at least this large are bound where they lie rather than copied into the bound buffer.</summary>
    public const int InPlaceBytes = 16 * 1024;

    private readonly string[] _inputNames;
    private readonly long[][] _inputShapes;
    private readonly DataType[] _inputTypes;
    private readonly byte[]?[] _inputBuffers;
    private readonly int _inPlaceInputs;
    private readonly string[] _outputNames;
    private readonly long[][] _outputShapes;
    private readonly DataType[] _outputTypes;
    private readonly byte[][] _outputBuffers;
    private readonly List<OrtValue> _values = [];
    private readonly OrtIoBinding _binding;

    /// <summary>Binds the shapes of <paramref name="inputs"/> and of the <paramref name="outputs"/> an unbound run gave for them.</summary>
    public BoundRun(InferenceSession session, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, IReadOnlyList<InferTensor> outputs)
    {
        _inputNames = new string[inputs.Count];
        _inputShapes = new long[inputs.Count][];
        _inputTypes = new DataType[inputs.Count];
        _inputBuffers = new byte[inputs.Count][];
        _outputNames = outputNames.ToArray();
        _outputShapes = new long[outputs.Count][];
        _outputTypes = new DataType[outputs.Count];
        _outputBuffers = new byte[outputs.Count][];
        _binding = session.CreateIoBinding();
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                _inputNames[i] = input.Name;
                _inputShapes[i] = (long[])input.Shape.Clone();
                _inputTypes[i] = input.DataType;
                if (input.ByteLength < InPlaceBytes)
                {
                    var buffer = GC.AllocateUninitializedArray<byte>(input.ByteLength, pinned: true);
                    _inputBuffers[i] = buffer;
                    _binding.BindInput(input.Name, Value(buffer, input.DataType, _inputShapes[i]));
                }
                else
                {
                    _inPlaceInputs++;
                }
            }

            for (var i = 0; i < outputs.Count; i++)
            {
                var output = outputs[i];
                _outputShapes[i] = (long[])output.Shape.Clone();
                _outputTypes[i] = output.DataType;
                _outputBuffers[i] = GC.AllocateUninitializedArray<byte>(output.ByteLength, pinned: true);
                _binding.BindOutput(_outputNames[i], Value(_outputBuffers[i], output.DataType, _outputShapes[i]));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Whether a request of these tensors, asking for these outputs in this order, is the one bound.</summary>
    public bool Matches(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames)
    {
        if (inputs.Count != _inputNames.Length || outputNames.Count != _outputNames.Length)
        {
            return false;
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (input.DataType != _inputTypes[i] || !string.Equals(input.Name, _inputNames[i], StringComparison.Ordinal)
                || !input.Shape.AsSpan().SequenceEqual(_inputShapes[i]))
            {
                return false;
            }
        }

        for (var k = 0; k < outputNames.Count; k++)
        {
            if (!string.Equals(outputNames[k], _outputNames[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <returns>The outputs, in the bound order, as new tensors the caller disposes.</returns>
    /// <exception cref="OnnxRuntimeException">The model failed on these values, or gave outputs of other shapes than the bound ones.</exception>
    public List<InferTensor> Run(InferenceSession session, RunOptions runOptions, IReadOnlyList<InferTensor> inputs)
    {
        if (_inPlaceInputs == 0)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                inputs[i].Bytes.CopyTo(_inputBuffers[i]!);
            }

            session.RunWithBinding(runOptions, _binding);
            return CopyOutputs();
        }

        // In-place inputs: values over the request's memory, pinned until the run is over.
        var pins = new MemoryHandle[inputs.Count];
        var values = new OrtValue?[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (_inputBuffers[i] is { } buffer)
                {
                    inputs[i].Bytes.CopyTo(buffer);
                }
                else
                {
                    values[i] = OnnxRunner.Bind(inputs[i], ref pins[i]);
                    _binding.BindInput(_inputNames[i], values[i]);
                }
            }

            session.RunWithBinding(runOptions, _binding);
        }
        finally
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i]?.Dispose();
                pins[i].Dispose();
            }
        }

        return CopyOutputs();
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var value in _values)
        {
            value.Dispose();
        }

        _values.Clear();
    }

    private List<InferTensor> CopyOutputs()
    {
        var outputs = new List<InferTensor>(_outputNames.Length);
        try
        {
            for (var i = 0; i < _outputNames.Length; i++)
            {
                var tensor = InferTensor.AllocateUninitialized(_outputNames[i], _outputTypes[i], (long[])_outputShapes[i].Clone());
                outputs.Add(tensor);
                _outputBuffers[i].CopyTo(tensor.Bytes);
            }

            return outputs;
        }
        catch
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }

            throw;
        }
    }

    private unsafe OrtValue Value(byte[] pinned, DataType dataType, long[] shape)
    {
        var pointer = (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, OnnxTypes.ToOnnx(dataType), shape, pointer, pinned.Length);
        _values.Add(value);
        return value;
    }
}
