using System.Globalization;

namespace Ferry.Batch.Scoring;

/// <summary>Which columns feed which model inputs, which are kept, and which columns the outputs become.</summary>
public sealed record ScoringPlan
{
    public required IReadOnlyList<InputBinding> Inputs { get; init; }

    public required IReadOnlyList<OutputBinding> Outputs { get; init; }

    public required IReadOnlyList<string> Keep { get; init; }

    /// <summary>Every input column the job reads.</summary>
    public IReadOnlyCollection<string> ColumnsToRead => Inputs.SelectMany(i => i.Columns).Concat(Keep).Distinct(StringComparer.Ordinal).ToArray();

    public static ScoringPlan Create(ModelSignature signature, BatchJobSpec spec)
    {
        foreach (var input in spec.Map.Keys)
        {
            if (signature.FindInput(input) is null)
            {
                throw new BatchUsageException($"--map names '{input}', which is not an input of the model (inputs: {string.Join(", ", signature.Inputs.Select(i => i.Name))})");
            }
        }

        var inputs = signature.Inputs.Select(i =>
        {
            if (!Supported(i.DataType))
            {
                throw new BatchUsageException($"model input '{i.Name}' is {i.DataType}; batch scoring feeds FP32, FP64, INT32, INT64, BOOL and BYTES inputs");
            }

            var column = spec.Map.GetValueOrDefault(i.Name, i.Name);
            return new InputBinding(i, Expand(i, column, "input"));
        }).ToArray();
        var outputs = signature.Outputs
            .Where(o => spec.Outputs.Count == 0 || spec.Outputs.Contains(o.Name))
            .Select(o => new OutputBinding(o, Expand(o, o.Name, "output")))
            .ToArray();
        foreach (var wanted in spec.Outputs.Where(w => signature.FindOutput(w) is null))
        {
            throw new BatchUsageException($"--outputs names '{wanted}', which is not an output of the model (outputs: {string.Join(", ", signature.Outputs.Select(o => o.Name))})");
        }

        return new ScoringPlan { Inputs = inputs, Outputs = outputs, Keep = spec.Keep };
    }

    private static bool Supported(DataType type) => type is DataType.Fp32 or DataType.Fp64 or DataType.Int32 or DataType.Int64 or DataType.Bool or DataType.Bytes;

    private static IReadOnlyList<string> Expand(TensorSpec spec, string column, string what)
    {
        var width = spec.Shape switch
        {
            [< 0] => 1L,
            [< 0, > 0 and var k] => k,
            _ => throw new BatchUsageException($"model {what} '{spec.Name}' has shape {spec.ShapeText}; batch scoring needs [-1] or [-1,k] (a dynamic batch dimension and at most one fixed one)"),
        };
        return width == 1 ? [column] : Enumerable.Range(0, (int)width).Select(j => column + "_" + j.ToString(CultureInfo.InvariantCulture)).ToArray();
    }
}
