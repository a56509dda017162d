namespace Ferry.Delivery.Routing;

/// <summary>
/// How one name routes: the served name its versions are loaded under (the deployment's), the weighted variants,
/// and optionally the preview variant and the shadow target. Immutable; the router swaps whole tables.
/// </summary>
public sealed class RouteEntry
{
    public RouteEntry(string deployment, string model, Variant[] variants, Variant? preview, ShadowRoute? shadow)
    {
        if (variants.Length == 0 || variants[^1].UpperBucket != StableHash.Buckets)
        {
            throw new ArgumentException("variants must cover every bucket", nameof(variants));
        }

        Deployment = deployment;
        Model = model;
        Variants = variants;
        Preview = preview;
        Shadow = shadow;
    }

    /// <summary>The served name in the model manager: the deployment's name, also for its preview route.</summary>
    public string Deployment { get; }

    public string Model { get; }

    public Variant[] Variants { get; }

    public Variant? Preview { get; }

    public ShadowRoute? Shadow { get; }

    /// <summary>The variant owning <paramref name="bucket"/>: a scan over two or three entries, cheaper than a search.</summary>
    public Variant Pick(int bucket)
    {
        var variants = Variants;
        for (var i = 0; i < variants.Length - 1; i++)
        {
            if (bucket < variants[i].UpperBucket)
            {
                return variants[i];
            }
        }

        return variants[^1];
    }
}
