namespace Ferry.Monitoring.Drift;

/// <summary>
/// Population stability index Σ (c − r)·ln(c / r) over the binned shares, with empty bins given 0.0001 as Evidently
/// does; drift when ≥ 0.1 (Evidently's PSI default).
/// </summary>
public sealed class PsiTest : IDriftTest
{
    private const double EmptyShare = 0.0001;

    public string Name => "psi";

    public double DefaultThreshold => 0.1;

    public bool Supports(FeatureKind kind) => true;

    public DriftTestResult Run(FeatureProfile reference, FeatureSketch current, double threshold)
    {
        var b = Binned.Of(reference, current);
        double n = b.ReferenceTotal, m = b.CurrentTotal, psi = 0;
        if (n > 0 && m > 0)
        {
            for (var i = 0; i < b.Points.Length; i++)
            {
                var r = b.Reference[i] > 0 ? b.Reference[i] / n : EmptyShare;
                var c = b.Current[i] > 0 ? b.Current[i] / m : EmptyShare;
                psi += (c - r) * Math.Log(c / r);
            }
        }

        return new DriftTestResult(Name, psi, null, threshold, psi >= threshold);
    }
}
