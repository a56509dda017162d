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
    private long _count;
    private long _sumUs;
    private double _sumSquaresMs;

    public void Add(TimeSpan latency)
    {
        var us = (ulong)Math.Max(0, latency.Ticks / 10);
        Interlocked.Increment(ref _counts[IndexOf(us)]);
        // Exact moments next to the buckets, for the A/B test's Welch t (the buckets alone are only good to 12.5%).
        Interlocked.Add(ref _sumUs, (long)us);
        var ms = us / 1000.0;
        AddDouble(ref _sumSquaresMs, ms * ms);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Latencies recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>The mean latency in milliseconds; 0 when empty.</summary>
    public double MeanMs
    {
        get
        {
            var n = Count;
            return n == 0 ? 0 : Volatile.Read(ref _sumUs) / 1000.0 / n;
        }
    }

    /// <summary>The sample variance (n - 1) of the latencies in ms²; 0 with fewer than two.</summary>
    public double VarianceMs2
    {
        get
        {
            var n = Count;
            if (n < 2)
            {
                return 0;
            }

            var mean = MeanMs;
            return Math.Max(0, (Volatile.Read(ref _sumSquaresMs) - (n * mean * mean)) / (n - 1));
        }
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

    private static void AddDouble(ref double target, double value)
    {
        var seen = Volatile.Read(ref target);
        while (true)
        {
            var was = Interlocked.CompareExchange(ref target, seen + value, seen);
            if (was.Equals(seen))
            {
                return;
            }

            seen = was;
        }
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
