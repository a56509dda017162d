using Ferry.Inference.Tensors;

namespace Ferry.Server.Oip;

/// <summary>A decoded inference request of either protocol. Owns its input tensors.</summary>
public sealed class InferRequest : IDisposable
{
    private string[]? _outputNames;

    public string? Id { get; set; }

    public List<InferTensor> Inputs { get; } = [];

    /// <summary>The outputs asked for, in order; empty means all.</summary>
    public List<RequestedOutput> Outputs { get; } = [];

    /// <summary>The request-level <c>binary_data_output</c> parameter: every output in binary unless it says otherwise.</summary>
    public bool BinaryDataOutput { get; set; }

    public IReadOnlyList<string>? OutputNames => Outputs.Count == 0 ? null : _outputNames ??= NamesOf(Outputs);

    /// <summary>The body binary inputs view in place, when they do; it goes back to its pool after them.</summary>
    internal RequestBody? Body { get; set; }

    /// <summary>Where the binary data starts in <see cref="Body"/>'s buffer.</summary>
    internal int BinaryStart { get; set; }

    private static string[] NamesOf(List<RequestedOutput> outputs)
    {
        var names = new string[outputs.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = outputs[i].Name;
        }

        return names;
    }

    public void Dispose()
    {
        var body = Body;
        DisposeInputs();
        body?.Dispose();
    }

    /// <summary>Disposes the inputs and forgets the body, which stays its reader's (a request that failed to decode).</summary>
    internal void DisposeInputs()
    {
        foreach (var input in Inputs)
        {
            input.Dispose();
        }

        Inputs.Clear();
        Body = null;
    }
}

/// <summary>An output the client asked for; <see cref="Binary"/> is its <c>binary_data</c> parameter when given.</summary>
public sealed record RequestedOutput(string Name, bool? Binary);
