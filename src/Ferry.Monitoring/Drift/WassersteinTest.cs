namespace Ferry.Monitoring.Drift;

/// <summary>
/// First Wasserstein distance divided by the reference's standard deviation; drift when ≥ 0.1 (Evidently's default
/// for numeric features with more than 1000 reference rows).
/// </summary>
/// <remarks>
/// W₁ = ∫|F_ref − F_cur| over the bins' points, which is <c>scipy.stats.wasserstein_distance(points, points,
/// ref_counts, cur_counts)</c>; Evidently divides by <c>np.std(reference)</c> (population).
/// </remarks>
public sealed class WassersteinTest : IDriftTest
{
    public string Name => "wasserstein";

    public double DefaultThreshold => 0.1;

    public bool Supports(FeatureKind kind) => kind == FeatureKind.Numeric;

    public DriftTestResult Run(FeatureProfile reference, FeatureSketch current, double threshold)
    {
        var w = Distance(Binned.Of(reference, current));
        var normalised = reference.StandardDeviation > 0 ? w / reference.StandardDeviation : w == 0 ? 0 : double.PositiveInfinity;
        return new DriftTestResult(Name, normalised, null, threshold, normalised >= threshold);
    }

    public static double Distance(Binned b)
    {
        double n = b.ReferenceTotal, m = b.CurrentTotal;
        if (n == 0 || m == 0)
        {
            return 0;
        }

        double fr = 0, fc = 0, w = 0;
        for (var i = 0; i < b.Points.Length - 1; i++)
        {
            fr += b.Reference[i] / n;
            fc += b.Current[i] / m;
            w += Math.Abs(fr - fc) * (b.Points[i + 1] - b.Points[i]);
        }

        return w;
    }
}
