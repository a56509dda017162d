using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ferry.Server.Tests.RealModels;

/// <summary>
/// Runs a model with ONNX Runtime directly, in-process, with the session settings the test server uses
/// (one intra-op thread, all graph optimisations), so its answers are the ones the server must return.
/// </summary>
public static class OnnxReference
{
    /// <summary>Every output of <paramref name="modelPath"/> for FP32 inputs, by name: shape and raw little-endian bytes.</summary>
    public static Dictionary<string, RawTensor> Run(string modelPath, IReadOnlyDictionary<string, (long[] Shape, float[] Data)> inputs)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(modelPath, options);
        var values = inputs.ToDictionary(i => i.Key, i => OrtValue.CreateTensorValueFromMemory(i.Value.Data, i.Value.Shape));
        try
        {
            using var runOptions = new RunOptions();
            var names = session.OutputNames.ToArray();
            using var outputs = session.Run(runOptions, values.Keys.ToArray(), values.Values.ToArray(), names);
            var result = new Dictionary<string, RawTensor>();
            for (var i = 0; i < names.Length; i++)
            {
                var info = outputs[i].GetTensorTypeAndShape();
                result[names[i]] = new RawTensor(info.Shape, info.ElementDataType, outputs[i].GetTensorMutableRawData().ToArray());
            }

            return result;
        }
        finally
        {
            foreach (var value in values.Values)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>The input names of a model and their dimensions (-1 where dynamic).</summary>
    public static IReadOnlyDictionary<string, int[]> InputDimensions(string modelPath)
    {
        using var session = new InferenceSession(modelPath);
        return session.InputMetadata.ToDictionary(i => i.Key, i => i.Value.Dimensions);
    }
}

/// <summary>A tensor's shape, element type and raw little-endian bytes.</summary>
public sealed record RawTensor(long[] Shape, TensorElementType ElementType, byte[] Raw)
{
    public float[] AsFloats() => MemoryMarshal.Cast<byte, float>(Raw).ToArray();
}
