namespace Ferry.Monitoring.Drift;

/// <summary>
/// Counts over the reference's fixed bin edges: <c>Counts[0]</c> below the first edge, <c>Counts[1..B]</c> the B
/// equal-width bins, <c>Counts[B+1]</c> above the last edge. Also the observed minimum and maximum, which place the
/// two open-ended bins for the distance tests.
/// </summary>
public sealed class NumericSketch : FeatureSketch
{
    private readonly double _low;
    private readonly double _width;

    public NumericSketch(string name, double[] edges)
        : base(name)
    {
        Edges = edges;
        Counts = new long[edges.Length + 1];
        _low = edges[0];
        _width = (edges[^1] - edges[0]) / (edges.Length - 1);
    }

    public override FeatureKind Kind => FeatureKind.Numeric;

    /// <summary>
    /// A sketch from a stored histogram (a registered dataset's profile): <paramref name="binCounts"/> fill the bins
    /// between <paramref name="edges"/>, nothing lies outside them.
    /// </summary>
    public static NumericSketch FromHistogram(string name, double[] edges, IReadOnlyList<long> binCounts, long missing, double min, double max)
    {
        if (binCounts.Count != edges.Length - 1)
        {
            throw new ArgumentException($"the histogram of '{name}' has {binCounts.Count} counts for {edges.Length} edges", nameof(binCounts));
        }

        var sketch = new NumericSketch(name, edges);
        long count = 0;
        for (var i = 0; i < binCounts.Count; i++)
        {
            sketch.Counts[i + 1] = binCounts[i];
            count += binCounts[i];
        }

        sketch.Count = count;
        sketch.Missing = missing;
        sketch.Min = min;
        sketch.Max = max;
        return sketch;
    }

    public double[] Edges { get; }

    public long[] Counts { get; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public int BinCount => Edges.Length - 1;

    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            Missing++;
            return;
        }

        Counts[BinOf(value)]++;
        Count++;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    /// <summary>The bin of a value; equal-width bins make it one division, which keeps a million rows cheap.</summary>
    public int BinOf(double value)
    {
        if (value < _low)
        {
            return 0;
        }

        if (value > Edges[^1])
        {
            return Edges.Length;
        }

        if (_width <= 0)
        {
            return 1;
        }

        var bin = (int)((value - _low) / _width);
        return 1 + Math.Min(bin, BinCount - 1);
    }

    public override void Merge(FeatureSketch other)
    {
        var o = (NumericSketch)other;
        if (o.Edges.Length != Edges.Length || o.Edges[0] != Edges[0] || o.Edges[^1] != Edges[^1])
        {
            throw new ArgumentException($"sketches of '{Name}' have different bins and cannot be merged", nameof(other));
        }

        for (var i = 0; i < Counts.Length; i++)
        {
            Counts[i] += o.Counts[i];
        }

        Count += o.Count;
        Missing += o.Missing;
        Min = Math.Min(Min, o.Min);
        Max = Math.Max(Max, o.Max);
    }
}
