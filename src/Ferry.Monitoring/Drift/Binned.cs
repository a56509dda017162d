namespace Ferry.Monitoring.Drift;

/// <summary>
/// The reference and current counts laid side by side over shared support: numeric bins with a representative point
/// each (the bin's centre; for the two open-ended bins, the midpoint between the outer edge and the furthest value
/// seen), or the union of categories in ordinal order.
/// </summary>
public sealed record Binned(double[] Points, double[] Reference, double[] Current)
{
    public double ReferenceTotal => Reference.Sum();

    public double CurrentTotal => Current.Sum();

    public static Binned Of(FeatureProfile reference, FeatureSketch current) => (reference.Sketch, current) switch
    {
        (NumericSketch r, NumericSketch c) => Numeric(r, c),
        (CategoricalSketch r, CategoricalSketch c) => Categorical(r, c),
        _ => throw new ArgumentException($"feature '{reference.Name}': the current sketch is not of the reference's kind", nameof(current)),
    };

    private static Binned Numeric(NumericSketch r, NumericSketch c)
    {
        var edges = r.Edges;
        var k = r.Counts.Length;
        var points = new double[k];
        var low = Math.Min(r.Min, c.Min);
        var high = Math.Max(r.Max, c.Max);
        points[0] = double.IsFinite(low) && low < edges[0] ? (low + edges[0]) / 2 : edges[0];
        for (var i = 1; i < k - 1; i++)
        {
            points[i] = (edges[i - 1] + edges[i]) / 2;
        }

        points[k - 1] = double.IsFinite(high) && high > edges[^1] ? (edges[^1] + high) / 2 : edges[^1];
        return new Binned(points, Array.ConvertAll(r.Counts, x => (double)x), Array.ConvertAll(c.Counts, x => (double)x));
    }

    private static Binned Categorical(CategoricalSketch r, CategoricalSketch c)
    {
        var keys = r.Counts.Keys.Union(c.Counts.Keys).Order(StringComparer.Ordinal).ToArray();
        return new Binned(
            Enumerable.Range(0, keys.Length).Select(i => (double)i).ToArray(),
            keys.Select(key => (double)r.Counts.GetValueOrDefault(key)).ToArray(),
            keys.Select(key => (double)c.Counts.GetValueOrDefault(key)).ToArray());
    }
}
