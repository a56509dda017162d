using Ferry.Inference.Tensors;

namespace Ferry.Delivery.Shadow;

/// <summary>
/// A request copied for the shadow candidate: its own copies of the inputs and of the stable answer's prediction
/// output, so the caller's buffers go back to the pool at once. The shadow worker disposes it.
/// </summary>
public sealed class ShadowCopy : IDisposable
{
    /// <param name="outputName">The stable answer's output compared (<see cref="NameOf"/>), which the candidate is asked for.</param>
    public ShadowCopy(string target, string version, TimeSpan timeout, ShadowStats stats, List<InferTensor> inputs, double[] stableOutput, TimeSpan stableLatency, string? outputName = null)
    {
        OutputName = outputName;
        Target = target;
        Version = version;
        Timeout = timeout;
        Stats = stats;
        Inputs = inputs;
        StableOutput = stableOutput;
        StableLatency = stableLatency;
    }

    public string Target { get; }

    public string Version { get; }

    public TimeSpan Timeout { get; }

    public ShadowStats Stats { get; }

    public List<InferTensor> Inputs { get; }

    public double[] StableOutput { get; }

    /// <summary>
    /// The output compared: the caller may have asked for some outputs only, so the candidate is asked for this one
    /// rather than all of them (whose first could be another tensor altogether).
    /// </summary>
    public string? OutputName { get; }

    /// <summary>
    /// The output of a stable answer that is compared: the model's prediction output (<see cref="PredictionOutputs"/>)
    /// when the answer holds it, else the answer's first; null when it has none.
    /// </summary>
    public static string? NameOf(IReadOnlyList<InferTensor> outputs, string? prediction) => Live.PredictionValue.Find(outputs, prediction)?.Name;

    public TimeSpan StableLatency { get; }

    /// <summary>Copies tensors into buffers of their own.</summary>
    public static List<InferTensor> CopyOf(IReadOnlyList<InferTensor> tensors)
    {
        var copies = new List<InferTensor>(tensors.Count);
        foreach (var t in tensors)
        {
            if (t.DataType == DataType.Bytes)
            {
                copies.Add(InferTensor.FromStrings(t.Name, t.Shape, t.Strings!));
                continue;
            }

            var copy = InferTensor.Allocate(t.Name, t.DataType, t.Shape);
            t.Bytes.CopyTo(copy.Bytes);
            copies.Add(copy);
        }

        return copies;
    }

    /// <summary>The elements of the output named <paramref name="output"/> (else of the first) as doubles, for the comparison.</summary>
    public static double[] ValuesOf(IReadOnlyList<InferTensor> outputs, string? output)
    {
        if (Live.PredictionValue.Find(outputs, output) is not { } tensor)
        {
            return [];
        }

        var values = new double[tensor.DataType == DataType.Bytes ? 0 : tensor.ElementCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Live.PredictionValue.At(tensor, i);
        }

        return values;
    }

    public void Dispose()
    {
        foreach (var input in Inputs)
        {
            input.Dispose();
        }
    }
}
