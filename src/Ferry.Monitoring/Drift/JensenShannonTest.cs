namespace Ferry.Monitoring.Drift;

/// <summary>
/// Jensen–Shannon distance (natural log, the square root of the divergence) between the binned shares; drift when
/// ≥ 0.1 (Evidently's default for categorical features with more than 1000 reference rows). Agrees with
/// <c>scipy.spatial.distance.jensenshannon(ref_counts, cur_counts)</c>.
/// </summary>
public sealed class JensenShannonTest : IDriftTest
{
    public string Name => "jensenshannon";

    public double DefaultThreshold => 0.1;

    public bool Supports(FeatureKind kind) => true;

    public DriftTestResult Run(FeatureProfile reference, FeatureSketch current, double threshold)
    {
        var d = Distance(Binned.Of(reference, current));
        return new DriftTestResult(Name, d, null, threshold, d >= threshold);
    }

    public static double Distance(Binned b)
    {
        double n = b.ReferenceTotal, m = b.CurrentTotal;
        if (n == 0 || m == 0)
        {
            return 0;
        }

        double divergence = 0;
        for (var i = 0; i < b.Points.Length; i++)
        {
            double p = b.Reference[i] / n, q = b.Current[i] / m, mid = (p + q) / 2;
            divergence += (p > 0 ? p * Math.Log(p / mid) : 0) + (q > 0 ? q * Math.Log(q / mid) : 0);
        }

        return Math.Sqrt(Math.Max(divergence, 0) / 2);
    }
}
