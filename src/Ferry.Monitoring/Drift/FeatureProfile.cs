namespace Ferry.Monitoring.Drift;

/// <summary>
/// The reference for one feature: its sketch (whose bin edges every current sketch reuses) plus the exact mean and
/// population standard deviation, which normalise the Wasserstein distance.
/// </summary>
public sealed record FeatureProfile
{
    public required string Name { get; init; }

    public required FeatureKind Kind { get; init; }

    public required FeatureSketch Sketch { get; init; }

    public double Mean { get; init; }

    public double StandardDeviation { get; init; }

    public long Count => Sketch.Count;

    /// <summary>An empty sketch over this reference's bins, to fill with current rows.</summary>
    public FeatureSketch NewSketch() => Sketch is NumericSketch n ? new NumericSketch(Name, n.Edges) : new CategoricalSketch(Name);
}
