using Ferry.Inference.Tensors;

namespace Ferry.Inference;

/// <summary>The answer of one request: which version answered and its outputs. Owns the outputs' buffers.</summary>
public sealed class InferenceResult : IDisposable
{
    public InferenceResult(string modelName, string modelVersion, List<InferTensor> outputs)
    {
        ModelName = modelName;
        ModelVersion = modelVersion;
        Outputs = outputs;
    }

    public string ModelName { get; }

    public string ModelVersion { get; }

    public List<InferTensor> Outputs { get; }

    public void Dispose()
    {
        foreach (var output in Outputs)
        {
            output.Dispose();
        }
    }
}
