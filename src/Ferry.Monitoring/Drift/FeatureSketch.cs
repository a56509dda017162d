namespace Ferry.Monitoring.Drift;

/// <summary>
/// A mergeable summary of one feature over some rows: merging two sketches of the same feature and bins gives the
/// sketch of the union of their rows. Memory depends on the bins (or the category cap), never on the row count.
/// </summary>
public abstract class FeatureSketch
{
    protected FeatureSketch(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public abstract FeatureKind Kind { get; }

    /// <summary>Rows with a value; missing values are counted apart and do not enter the tests.</summary>
    public long Count { get; protected set; }

    public long Missing { get; protected set; }

    public abstract void Merge(FeatureSketch other);

    public void AddMissing() => Missing++;
}
