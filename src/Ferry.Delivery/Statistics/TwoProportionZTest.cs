namespace Ferry.Delivery.Statistics;

/// <summary>
/// The two-proportion z-test with the pooled standard error: are the success rates of two variants (accuracy, error
/// rate) the same? z = (p₁ - p₂) / √(p(1-p)(1/n₁ + 1/n₂)) with p the pooled rate; the p-value is two-sided.
/// </summary>
public static class TwoProportionZTest
{
    public static TestResult Compute(long successes1, long n1, long successes2, long n2)
    {
        Check(successes1, n1, "first");
        Check(successes2, n2, "second");
        var p1 = successes1 / (double)n1;
        var p2 = successes2 / (double)n2;
        var pooled = (successes1 + successes2) / (double)(n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / n1) + (1.0 / n2)));

        // Both rates 0 or both 1: no variation at all, so no evidence of a difference.
        var z = se == 0 ? 0 : (p1 - p2) / se;
        return new TestResult { Test = "two-proportion z", Statistic = z, PValue = Distributions.NormalTwoSided(z) };
    }

    private static void Check(long successes, long n, string which)
    {
        if (n <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), $"the {which} sample is empty");
        }

        if (successes < 0 || successes > n)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), $"the {which} sample has {successes} successes out of {n}");
        }
    }
}
