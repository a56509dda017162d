using Microsoft.ML.OnnxRuntime;

namespace Ferry.Batch.Tests;

/// <summary>The reference: ONNX Runtime called directly on the same rows, no Ferry code in between.</summary>
public static class DirectOnnx
{
    /// <summary>Runs a model of [N,1] FP32 inputs and returns the named [N,1] FP32 output.</summary>
    public static float[] Run(string modelPath, IReadOnlyDictionary<string, float[]> inputs, string output)
    {
        // One thread: a tree ensemble's sum then runs in one order, whatever the batch size, on both sides.
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Value, [i.Value.Length, 1])).ToArray();
        try
        {
            using var results = session.Run(new RunOptions(), inputs.Keys.ToArray(), values, [output]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }
}
