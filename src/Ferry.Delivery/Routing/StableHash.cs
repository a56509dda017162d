namespace Ferry.Delivery.Routing;

/// <summary>
/// Maps an assignment key to one of <see cref="Buckets"/> buckets, the same on every replica and every run:
/// FNV-1a 64 over the key's and the deployment's UTF-16 code units, finished with MurmurHash3's 64-bit mix so that
/// the low digits (which pick the bucket) depend on every input bit. Never <see cref="string.GetHashCode()"/>,
/// which is randomised per process.
/// </summary>
public static class StableHash
{
    /// <summary>Buckets in the whole range: weights are resolved to 0.01 percent.</summary>
    public const int Buckets = 10_000;

    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The bucket of <paramref name="key"/> in <paramref name="deployment"/>: deployments split keys independently.</summary>
    public static int Bucket(ReadOnlySpan<char> key, string deployment)
    {
        var hash = Offset;
        hash = Add(hash, key);
        hash = (hash ^ 0xFF) * Prime; // a separator no UTF-16 text ends with, so "ab"+"c" and "a"+"bc" differ
        hash = Add(hash, deployment);
        return (int)(Mix(hash) % Buckets);
    }

    private static ulong Add(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }

        return hash;
    }

    private static ulong Mix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccd;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53;
        k ^= k >> 33;
        return k;
    }
}
