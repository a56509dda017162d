namespace Ferry;

/// <summary>The inputs and outputs a model version takes and gives.</summary>
public sealed record ModelSignature
{
    public required IReadOnlyList<TensorSpec> Inputs { get; init; }

    public required IReadOnlyList<TensorSpec> Outputs { get; init; }

    public TensorSpec? FindInput(string name)
    {
        // Indexed: a foreach over the interface would allocate an enumerator on every request.
        var inputs = Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Name == name)
            {
                return inputs[i];
            }
        }

        return null;
    }

    public TensorSpec? FindOutput(string name)
    {
        var outputs = Outputs;
        for (var i = 0; i < outputs.Count; i++)
        {
            if (outputs[i].Name == name)
            {
                return outputs[i];
            }
        }

        return null;
    }
}
