using Ferry.Monitoring.Stats;

namespace Ferry.Monitoring.Drift;

/// <summary>
/// Pearson's chi-square goodness of fit of the current counts to the reference's shares; drift when p &lt; 0.05
/// (Evidently's default for categorical features with at most 1000 reference rows).
/// </summary>
/// <remarks>
/// As Evidently: categories are the union of both, expected = reference share × current rows, and
/// <c>scipy.stats.chisquare(current, expected)</c> with k − 1 degrees of freedom. A category unseen in the reference has
/// expected 0, an infinite statistic and p = 0: a new category is drift.
/// </remarks>
public sealed class ChiSquareTest : IDriftTest
{
    public string Name => "chisquare";

    public double DefaultThreshold => 0.05;

    public bool Supports(FeatureKind kind) => true;

    public DriftTestResult Run(FeatureProfile reference, FeatureSketch current, double threshold)
    {
        var (statistic, p) = Compute(Binned.Of(reference, current));
        return new DriftTestResult(Name, statistic, p, threshold, p < threshold);
    }

    public static (double Statistic, double PValue) Compute(Binned b)
    {
        double n = b.ReferenceTotal, m = b.CurrentTotal;
        if (n == 0 || m == 0)
        {
            return (0, 1);
        }

        double statistic = 0;
        var categories = 0;
        for (var i = 0; i < b.Points.Length; i++)
        {
            var expected = b.Reference[i] / n * m;
            var observed = b.Current[i];
            if (expected == 0 && observed == 0)
            {
                continue;
            }

            categories++;
            statistic += expected == 0 ? double.PositiveInfinity : (observed - expected) * (observed - expected) / expected;
        }

        return (statistic, categories < 2 ? 1 : SpecialFunctions.ChiSquareSurvival(statistic, categories - 1));
    }
}
