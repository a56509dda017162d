namespace Ferry.Monitoring.Drift;

/// <summary>
/// Counts per category. Past <see cref="MaxCategories"/> distinct values new ones are counted under
/// <see cref="Other"/>, so an id-like column cannot grow the sketch without bound.
/// </summary>
public sealed class CategoricalSketch : FeatureSketch
{
    public const int MaxCategories = 1000;
    public const string Other = "__other__";

    public CategoricalSketch(string name)
        : base(name)
    {
    }

    public override FeatureKind Kind => FeatureKind.Categorical;

    /// <summary>
    /// A sketch from stored counts (a registered dataset's top categories); <paramref name="rest"/> rows whose
    /// categories were not kept are counted under <see cref="Other"/>.
    /// </summary>
    public static CategoricalSketch FromCounts(string name, IEnumerable<KeyValuePair<string, long>> counts, long rest, long missing)
    {
        var sketch = new CategoricalSketch(name);
        foreach (var (key, count) in counts)
        {
            sketch.AddCount(key, count);
            sketch.Count += count;
        }

        if (rest > 0)
        {
            sketch.AddCount(Other, rest);
            sketch.Count += rest;
        }

        sketch.Missing = missing;
        return sketch;
    }

    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    public void Add(string? value)
    {
        if (value is null)
        {
            Missing++;
            return;
        }

        AddCount(value, 1);
        Count++;
    }

    public override void Merge(FeatureSketch other)
    {
        var o = (CategoricalSketch)other;
        foreach (var (key, count) in o.Counts)
        {
            AddCount(key, count);
        }

        Count += o.Count;
        Missing += o.Missing;
    }

    private void AddCount(string key, long count)
    {
        if (!Counts.ContainsKey(key) && Counts.Count >= MaxCategories)
        {
            key = Other;
        }

        Counts[key] = Counts.GetValueOrDefault(key) + count;
    }
}
