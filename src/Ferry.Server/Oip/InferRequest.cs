using Ferry.Inference.Tensors;

namespace Ferry.Server.Oip;

/// <summary>A decoded inference request of either protocol. Owns its input tensors.</summary>
public sealed class InferRequest : IDisposable
{
    private List<string>? _outputNames;

    public string? Id { get; set; }

    public List<InferTensor> Inputs { get; } = [];

    /// <summary>The outputs asked for, in order; empty means all.</summary>
    public List<RequestedOutput> Outputs { get; } = [];

    /// <summary>The request-level <c>binary_data_output</c> parameter: every output in binary unless it says otherwise.</summary>
    public bool BinaryDataOutput { get; set; }

    public IReadOnlyList<string>? OutputNames => Outputs.Count == 0 ? null : _outputNames ??= Outputs.ConvertAll(o => o.Name);

    public void Dispose()
    {
        foreach (var input in Inputs)
        {
            input.Dispose();
        }

        Inputs.Clear();
    }
}

/// <summary>An output the client asked for; <see cref="Binary"/> is its <c>binary_data</c> parameter when given.</summary>
public sealed record RequestedOutput(string Name, bool? Binary);
