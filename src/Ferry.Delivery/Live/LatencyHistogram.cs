using System.Numerics;

namespace Ferry.Delivery.Live;

/// <summary>
/// Lock-free latency counts in log-scale buckets of microseconds: eight per doubling (HdrHistogram's idea with
/// 3 bits of precision), so a percentile is off by at most 12.5 percent; one increment per request.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 3;
    private const int Sub = 1 << SubBits;
    private const int MaxExponent = 40;

    private readonly long[] _counts = new long[(MaxExponent + 1) * Sub];

    public void Add(TimeSpan latency)
    {
        var us = (ulong)Math.Max(0, latency.Ticks / 10);
        Interlocked.Increment(ref _counts[IndexOf(us)]);
    }

    /// <summary>The latency below which <paramref name="quantile"/> of the counts fall, in milliseconds (the bucket's upper edge); 0 when empty.</summary>
    public double PercentileMs(double quantile)
    {
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            total += Volatile.Read(ref _counts[i]);
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return UpperEdgeUs(i) / 1000.0;
            }
        }

        return UpperEdgeUs(_counts.Length - 1) / 1000.0;
    }

    private static int IndexOf(ulong us)
    {
        if (us < Sub)
        {
            return (int)us;
        }

        var exponent = Math.Min(BitOperations.Log2(us), MaxExponent);
        var mantissa = (int)(us >> (exponent - SubBits)) & (Sub - 1);
        return ((exponent - SubBits + 1) * Sub) + mantissa;
    }

    private static double UpperEdgeUs(int index)
    {
        if (index < Sub)
        {
            return index + 1;
        }

        var exponent = (index / Sub) + SubBits - 1;
        var mantissa = index % Sub;
        return (1L << exponent) + ((mantissa + 1) * (1L << (exponent - SubBits)));
    }
}
