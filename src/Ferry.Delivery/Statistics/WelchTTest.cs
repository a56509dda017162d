namespace Ferry.Delivery.Statistics;

/// <summary>
/// Welch's t-test for two means with unequal variances (latency, regression error): t = (m₁ - m₂) / √(s₁²/n₁ + s₂²/n₂)
/// with the Welch–Satterthwaite degrees of freedom; variances are sample variances (n - 1); the p-value is two-sided.
/// Agrees with <c>scipy.stats.ttest_ind_from_stats(..., equal_var=False)</c>.
/// </summary>
public static class WelchTTest
{
    public static TestResult Compute(double mean1, double variance1, long n1, double mean2, double variance2, long n2)
    {
        if (n1 < 2 || n2 < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(n1), $"Welch's t-test needs at least 2 observations per sample ({n1} and {n2} given)");
        }

        if (variance1 < 0 || variance2 < 0 || double.IsNaN(variance1) || double.IsNaN(variance2))
        {
            throw new ArgumentOutOfRangeException(nameof(variance1), "variances must be non-negative numbers");
        }

        var a = variance1 / n1;
        var b = variance2 / n2;
        var se2 = a + b;
        if (se2 == 0)
        {
            // Two constant samples: equal means are no difference, unequal ones are as certain as it gets.
            var same = mean1 == mean2;
            return new TestResult
            {
                Test = "Welch t",
                Statistic = same ? 0 : Math.CopySign(double.PositiveInfinity, mean1 - mean2),
                DegreesOfFreedom = n1 + n2 - 2,
                PValue = same ? 1 : 0,
            };
        }

        var t = (mean1 - mean2) / Math.Sqrt(se2);
        var dof = se2 * se2 / ((a * a / (n1 - 1)) + (b * b / (n2 - 1)));
        return new TestResult { Test = "Welch t", Statistic = t, DegreesOfFreedom = dof, PValue = Distributions.StudentTTwoSided(t, dof) };
    }
}
