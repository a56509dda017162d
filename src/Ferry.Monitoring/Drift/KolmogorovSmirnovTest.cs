using Ferry.Monitoring.Stats;

namespace Ferry.Monitoring.Drift;

/// <summary>Two-sample Kolmogorov–Smirnov test on binned data; drift when p &lt; 0.05 (Evidently's default).</summary>
/// <remarks>
/// D is the largest gap between the two empirical CDFs at the bin boundaries: exactly <c>scipy.stats.ks_2samp</c>'s D
/// for samples whose values are the bins' points, and at most one bin's share from the exact D on raw values. The
/// p-value is Kolmogorov's limit P(K &gt; √(nm/(n+m))·D) (<c>scipy.stats.kstwobign.sf</c>): sketches keep no samples,
/// so the exact small-sample distribution scipy uses by default is out of reach, and it is close for n, m ≥ 100.
/// </remarks>
public sealed class KolmogorovSmirnovTest : IDriftTest
{
    public string Name => "ks";

    public double DefaultThreshold => 0.05;

    public bool Supports(FeatureKind kind) => kind == FeatureKind.Numeric;

    public DriftTestResult Run(FeatureProfile reference, FeatureSketch current, double threshold)
    {
        var b = Binned.Of(reference, current);
        var (d, p) = Compute(b);
        return new DriftTestResult(Name, d, p, threshold, p < threshold);
    }

    public static (double Statistic, double PValue) Compute(Binned b)
    {
        double n = b.ReferenceTotal, m = b.CurrentTotal;
        if (n == 0 || m == 0)
        {
            return (0, 1);
        }

        double fr = 0, fc = 0, d = 0;
        for (var i = 0; i < b.Points.Length; i++)
        {
            fr += b.Reference[i] / n;
            fc += b.Current[i] / m;
            d = Math.Max(d, Math.Abs(fr - fc));
        }

        var en = n * m / (n + m);
        return (d, SpecialFunctions.KolmogorovSurvival(Math.Sqrt(en) * d));
    }
}
