using Ferry.Tests;

namespace Ferry.Delivery.Tests;

/// <summary>
/// The models the delivery tests roll out, all with one signature: <c>x</c> INT64 [1], an index into a table of
/// 100 rows, and <c>y</c> FP32 [1], the row's value (ONNX Gather). A shorter table makes Gather fail, in ONNX
/// Runtime itself, for the indices past its end: a real model that fails on a known share of requests.
/// </summary>
public static class TestModels
{
    public const int Rows = 100;

    /// <summary>y = x / 100: the stable version.</summary>
    public static byte[] Stable() => Lookup(Table(Rows, 0));

    /// <summary>Nearly the stable version (y + 0.001): a good candidate.</summary>
    public static byte[] Good() => Lookup(Table(Rows, 0.001f));

    /// <summary>Predictions shifted by 0.5: a candidate whose outputs drift from stable's.</summary>
    public static byte[] Drifting() => Lookup(Table(Rows, 0.5f));

    /// <summary>Only 95 rows: indices 95-99 fail, 5 percent of uniform traffic.</summary>
    public static byte[] FailsOnFivePercent() => Lookup(Table(95, 0));

    /// <summary>Only 80 rows: indices 80-99 fail, 20 percent of uniform traffic.</summary>
    public static byte[] FailsOnTwentyPercent() => Lookup(Table(80, 0));

    /// <summary>One row: every index but 0 fails.</summary>
    public static byte[] Crashing() => Lookup(Table(1, 0));

    /// <summary>
    /// Same signature, but a chain of large matrix products (some seconds on one core): a candidate that, as far as
    /// its caller could tell, hangs.
    /// </summary>
    public static byte[] Slow()
    {
        const int n = 512;
        var builder = new OnnxModelBuilder()
            .Input("x", DataType.Int64, 1)
            .Output("y", DataType.Fp32, 1, 1)
            .Initializer("base", [n, n], Filled(n * n, 0.001f))
            .Initializer("w", [n, n], Filled(n * n, 0.002f))
            .Node("Cast", ["x"], ["xf"], ("to", 1))
            .Node("Add", ["base", "xf"], ["h0"]);
        const int layers = 40;
        for (var i = 0; i < layers; i++)
        {
            builder.Node("MatMul", [$"h{i}", "w"], [$"h{i + 1}"]);
        }

        return builder.Node("ReduceMean", [$"h{layers}"], ["y"], ("keepdims", 1)).Build();
    }

    /// <summary>A classifier: y = x mod 2 (the class, as 0 or 1), the ground truth of the accuracy tests.</summary>
    public static byte[] Classifier() => Lookup(Classes(wrongEvery: 0));

    /// <summary>The classifier wrong on 4 indices in 10 (x mod 10 below 4): realised accuracy 0.6.</summary>
    public static byte[] WrongClassifier() => Lookup(Classes(wrongEvery: 4));

    /// <summary>The true class of <paramref name="x"/> for the classifiers.</summary>
    public static int TrueClass(int x) => x % 2;

    /// <summary>What the stable version answers for <paramref name="x"/>.</summary>
    public static float StableAnswer(int x) => x / 100f;

    private static byte[] Lookup(float[] table) =>
        new OnnxModelBuilder()
            .Input("x", DataType.Int64, 1)
            .Output("y", DataType.Fp32, 1)
            .Initializer("table", [table.Length], table)
            .Node("Gather", ["table", "x"], ["y"], ("axis", 0))
            .Build();

    private static float[] Table(int rows, float shift)
    {
        var table = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            table[i] = (i / 100f) + shift;
        }

        return table;
    }

    private static float[] Classes(int wrongEvery)
    {
        var table = new float[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var right = TrueClass(i);
            table[i] = i % 10 < wrongEvery ? 1 - right : right;
        }

        return table;
    }

    private static float[] Filled(int count, float value)
    {
        var values = new float[count];
        Array.Fill(values, value);
        return values;
    }
}
