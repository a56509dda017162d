namespace Ferry.Delivery.Gates;

/// <summary>
/// Whether a candidate's signature serves a contract: every contract input exists in the candidate with the same
/// datatype and a compatible shape, and every contract output is produced, likewise. Shapes are compatible when
/// they have the same rank and each dimension is equal or dynamic (-1) on either side. Extra candidate outputs are
/// fine; an extra candidate input is not, since callers of the contract never send it.
/// </summary>
public static class SignatureCompatibility
{
    public const string CheckName = "compatibility";

    /// <summary>Every mismatch, each naming the tensor: "input 'x': FP32[-1,4] expected, FP64[-1,4] found".</summary>
    public static IReadOnlyList<string> Mismatches(ModelSignature contract, ModelSignature candidate)
    {
        var problems = new List<string>();
        foreach (var expected in contract.Inputs)
        {
            Compare("input", expected, candidate.FindInput(expected.Name), problems);
        }

        foreach (var extra in candidate.Inputs)
        {
            if (contract.FindInput(extra.Name) is null)
            {
                problems.Add($"input '{extra.Name}': not in the contract, but the candidate requires it ({Describe(extra)})");
            }
        }

        foreach (var expected in contract.Outputs)
        {
            Compare("output", expected, candidate.FindOutput(expected.Name), problems);
        }

        return problems;
    }

    public static GateCheck Check(ModelSignature contract, ModelSignature candidate, string contractSource)
    {
        var problems = Mismatches(contract, candidate);
        var checkedCount = contract.Inputs.Count + contract.Outputs.Count;
        return new GateCheck
        {
            Name = CheckName,
            Passed = problems.Count == 0,
            Value = problems.Count,
            Threshold = 0,
            Unit = "mismatches",
            Message = problems.Count == 0
                ? $"serves {contractSource}: {contract.Inputs.Count} inputs and {contract.Outputs.Count} outputs match"
                : $"does not serve {contractSource} ({problems.Count} of {checkedCount} tensors): {string.Join("; ", problems)}",
        };
    }

    public static string Describe(TensorSpec spec) => spec.DataType.ToProtocolName() + spec.ShapeText;

    private static void Compare(string kind, TensorSpec expected, TensorSpec? found, List<string> problems)
    {
        if (found is null)
        {
            problems.Add($"{kind} '{expected.Name}': {Describe(expected)} expected, missing");
            return;
        }

        if (found.DataType != expected.DataType || !ShapesMatch(expected.Shape, found.Shape))
        {
            problems.Add($"{kind} '{expected.Name}': {Describe(expected)} expected, {Describe(found)} found");
        }
    }

    private static bool ShapesMatch(long[] expected, long[] found)
    {
        if (expected.Length != found.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] >= 0 && found[i] >= 0 && expected[i] != found[i])
            {
                return false;
            }
        }

        return true;
    }
}
