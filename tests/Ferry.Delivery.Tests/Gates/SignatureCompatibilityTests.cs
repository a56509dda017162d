using Ferry.Delivery.Gates;

namespace Ferry.Delivery.Tests.Gates;

public sealed class SignatureCompatibilityTests
{
    private static TensorSpec T(string name, DataType type, params long[] shape) => new() { Name = name, DataType = type, Shape = shape };

    private static ModelSignature S(TensorSpec[] inputs, TensorSpec[] outputs) => new() { Inputs = inputs, Outputs = outputs };

    [Fact]
    public void Mismatches_DynamicDimensionsOnEitherSide_Match()
    {
        var contract = S([T("x", DataType.Fp32, -1, 4)], [T("y", DataType.Fp32, -1, 2)]);
        var candidate = S([T("x", DataType.Fp32, 8, -1)], [T("y", DataType.Fp32, -1, 2), T("extra", DataType.Int64, -1)]);

        Assert.Empty(SignatureCompatibility.Mismatches(contract, candidate));
    }

    [Fact]
    public void Mismatches_NameEveryBadTensor()
    {
        var contract = S([T("x", DataType.Fp32, -1, 4), T("z", DataType.Int64, -1)], [T("y", DataType.Fp32, -1, 2), T("p", DataType.Fp32, -1)]);
        var candidate = S([T("x", DataType.Fp64, -1, 4), T("k", DataType.Bytes, -1)], [T("y", DataType.Fp32, -1, 3)]);

        var problems = SignatureCompatibility.Mismatches(contract, candidate);

        Assert.Equal(
        [
            "input 'x': FP32[-1,4] expected, FP64[-1,4] found",
            "input 'z': INT64[-1] expected, missing",
            "input 'k': not in the contract, but the candidate requires it (BYTES[-1])",
            "output 'y': FP32[-1,2] expected, FP32[-1,3] found",
            "output 'p': FP32[-1] expected, missing",
        ], problems);
        var check = SignatureCompatibility.Check(contract, candidate, "the contract");
        Assert.False(check.Passed);
        Assert.Equal(5, check.Value);
    }

    [Fact]
    public void Mismatches_DifferentRank_IsAMismatch() =>
        Assert.Single(SignatureCompatibility.Mismatches(S([T("x", DataType.Fp32, -1, 4)], []), S([T("x", DataType.Fp32, -1, 4, 1)], [])));

    [Fact]
    public void Percentile_IsNearestRank()
    {
        var sorted = Enumerable.Range(1, 200).Select(i => (double)i).ToArray();

        Assert.Equal(198, ModelBenchmark.Percentile(sorted, 0.99));
        Assert.Equal(100, ModelBenchmark.Percentile(sorted, 0.50));
        Assert.Equal(7, ModelBenchmark.Percentile([7], 0.99));
    }
}
