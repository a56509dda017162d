using Ferry.Delivery.Live;

namespace Ferry.Delivery.Routing;

/// <summary>One version a deployment routes to, with the buckets below <see cref="UpperBucket"/> (and above the previous variant's).</summary>
public sealed class Variant
{
    public Variant(string role, long version, int upperBucket, VariantStats stats)
    {
        Role = role;
        Version = version;
        VersionText = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        UpperBucket = upperBucket;
        Stats = stats;
    }

    /// <summary><c>stable</c> or <c>candidate</c>.</summary>
    public string Role { get; }

    public long Version { get; }

    /// <summary>The version as the protocol carries it, made once rather than per request.</summary>
    public string VersionText { get; }

    public int UpperBucket { get; }

    /// <summary>The live counters the request path feeds.</summary>
    public VariantStats Stats { get; }
}
