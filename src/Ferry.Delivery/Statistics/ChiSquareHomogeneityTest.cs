namespace Ferry.Delivery.Statistics;

/// <summary>
/// Pearson's chi-square test of homogeneity: do the variants (rows) share one distribution over the predicted classes
/// (columns)? Expected counts are row total × column total / grand total; columns with no count in any row are
/// dropped; no continuity correction. Agrees with <c>scipy.stats.chi2_contingency(table, correction=False)</c>.
/// </summary>
public static class ChiSquareHomogeneityTest
{
    /// <param name="counts">One row per variant, one column per class, all rows the same length.</param>
    public static TestResult Compute(IReadOnlyList<IReadOnlyList<long>> counts)
    {
        if (counts.Count < 2)
        {
            throw new ArgumentException("the test needs at least two variants (rows)", nameof(counts));
        }

        var width = counts[0].Count;
        var rows = new double[counts.Count];
        var columns = new double[width];
        double total = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i].Count != width)
            {
                throw new ArgumentException($"row {i} has {counts[i].Count} columns, row 0 has {width}", nameof(counts));
            }

            for (var j = 0; j < width; j++)
            {
                var c = counts[i][j];
                if (c < 0)
                {
                    throw new ArgumentException($"row {i} column {j} is negative ({c})", nameof(counts));
                }

                rows[i] += c;
                columns[j] += c;
                total += c;
            }
        }

        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] == 0)
            {
                throw new ArgumentException($"row {i} is empty: every variant needs observations", nameof(counts));
            }
        }

        var used = 0;
        foreach (var c in columns)
        {
            used += c > 0 ? 1 : 0;
        }

        double statistic = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < width; j++)
            {
                if (columns[j] == 0)
                {
                    continue;
                }

                var expected = rows[i] * columns[j] / total;
                var diff = counts[i][j] - expected;
                statistic += diff * diff / expected;
            }
        }

        var dof = (rows.Length - 1) * (used - 1);
        return new TestResult
        {
            Test = "chi-square homogeneity",
            Statistic = statistic,
            DegreesOfFreedom = dof,
            PValue = dof == 0 ? 1 : Distributions.ChiSquareSurvival(statistic, dof),
        };
    }
}
