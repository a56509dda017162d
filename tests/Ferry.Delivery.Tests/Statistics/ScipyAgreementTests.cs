using System.Text.Json;
using Ferry.Delivery.Statistics;
using Ferry.Tests;

namespace Ferry.Delivery.Tests.Statistics;

/// <summary>
/// The distributions and the three experiment tests agree with scipy to 1e-6 (relative for tiny p-values). Skipped,
/// saying why, only when no python3 with scipy is installed.
/// </summary>
public sealed class ScipyAgreementTests
{
    private const double Tolerance = 1e-6;

    private static readonly double[] NormalPoints = [-8, -5.5, -3, -1.96, -1, -0.25, 0, 0.3, 1, 1.644854, 2.5, 4, 6.2];

    private static readonly double[][] TPoints =
    [
        [-4, 3], [-2.1, 9.5], [-0.5, 1], [0, 7], [0.7, 2.5], [1.5, 30], [2.2, 12.3], [3.3, 100], [5, 4], [12, 1000], [-1.3, 0.8],
    ];

    private static readonly double[][] BetaPoints = [[0.5, 0.5, 0.3], [2, 3, 0.4], [10, 0.5, 0.9], [0.7, 40, 0.02], [150, 200, 0.45], [1, 1, 0.77]];

    private static readonly long[][] ZCases = [[480, 1000, 450, 1000], [52, 1000, 31, 1000], [9_100, 10_000, 9_020, 10_000], [3, 40, 11, 45], [700, 1000, 560, 800]];

    private static readonly double[][] WelchCases =
    [
        [12.1, 4.0, 50, 11.4, 9.0, 70], [100, 400, 2000, 101.5, 900, 1800], [0.31, 0.01, 5, 0.29, 0.02, 8], [5, 1, 1000, 5, 50, 30],
    ];

    private static readonly long[][][] ChiCases =
    [
        [[120, 90, 40], [100, 110, 45]],
        [[30, 0, 12, 8], [25, 0, 20, 5], [31, 0, 9, 14]],
        [[500, 500], [520, 480]],
        [[10, 20, 30, 40, 50], [12, 18, 33, 37, 60]],
    ];

    [SkippableFact]
    public void DistributionsAndTests_AgreeWithScipy()
    {
        var python = ScipyPython.Find();
        Skip.If(python is null, "python3-scipy is not installed (apt-get install -y python3-scipy)");

        var input = JsonSerializer.Serialize(new { normal = NormalPoints, t = TPoints, beta = BetaPoints, z = ZCases, welch = WelchCases, chi2 = ChiCases });
        using var scipy = ScipyPython.Run(python!, Path.Combine(TestAssets.RepositoryRoot, "tests", "Ferry.Delivery.Tests", "Statistics", "scipy_stats.py"), input);
        var root = scipy.RootElement;

        for (var i = 0; i < NormalPoints.Length; i++)
        {
            Close(root.GetProperty("normal")[i].GetDouble(), Distributions.NormalCdf(NormalPoints[i]), $"Φ({NormalPoints[i]})");
            Close(root.GetProperty("normal_two_sided")[i].GetDouble(), Distributions.NormalTwoSided(NormalPoints[i]), $"2·sf({NormalPoints[i]})");
        }

        for (var i = 0; i < TPoints.Length; i++)
        {
            Close(root.GetProperty("t")[i].GetDouble(), Distributions.StudentTCdf(TPoints[i][0], TPoints[i][1]), $"T({TPoints[i][0]}; {TPoints[i][1]})");
            Close(root.GetProperty("t_two_sided")[i].GetDouble(), Distributions.StudentTTwoSided(TPoints[i][0], TPoints[i][1]), $"2·T.sf({TPoints[i][0]})");
        }

        for (var i = 0; i < BetaPoints.Length; i++)
        {
            Close(root.GetProperty("beta")[i].GetDouble(), Distributions.IncompleteBeta(BetaPoints[i][0], BetaPoints[i][1], BetaPoints[i][2]), $"I({string.Join(",", BetaPoints[i])})");
        }

        for (var i = 0; i < ZCases.Length; i++)
        {
            var c = ZCases[i];
            var r = TwoProportionZTest.Compute(c[0], c[1], c[2], c[3]);
            Close(root.GetProperty("z")[i].GetProperty("statistic").GetDouble(), r.Statistic, $"z case {i}");
            Close(root.GetProperty("z")[i].GetProperty("pvalue").GetDouble(), r.PValue, $"z p case {i}");
        }

        for (var i = 0; i < WelchCases.Length; i++)
        {
            var c = WelchCases[i];
            var r = WelchTTest.Compute(c[0], c[1], (long)c[2], c[3], c[4], (long)c[5]);
            var expected = root.GetProperty("welch")[i];
            Close(expected.GetProperty("statistic").GetDouble(), r.Statistic, $"Welch t case {i}");
            Close(expected.GetProperty("dof").GetDouble(), r.DegreesOfFreedom!.Value, $"Welch dof case {i}");
            Close(expected.GetProperty("pvalue").GetDouble(), r.PValue, $"Welch p case {i}");
        }

        for (var i = 0; i < ChiCases.Length; i++)
        {
            var r = ChiSquareHomogeneityTest.Compute(ChiCases[i].Select(row => (IReadOnlyList<long>)row).ToArray());
            var expected = root.GetProperty("chi2")[i];
            Close(expected.GetProperty("statistic").GetDouble(), r.Statistic, $"chi2 case {i}");
            Assert.Equal(expected.GetProperty("dof").GetInt32(), (int)r.DegreesOfFreedom!.Value);
            Close(expected.GetProperty("pvalue").GetDouble(), r.PValue, $"chi2 p case {i}");
        }
    }

    /// <summary>Absolute 1e-6, and relative 1e-6 as well for values far below 1 (deep-tail p-values).</summary>
    private static void Close(double expected, double actual, string what)
    {
        var ok = Math.Abs(expected - actual) <= Tolerance && (Math.Abs(expected) > 1e-3 || Math.Abs(expected - actual) <= Tolerance * Math.Abs(expected) + 1e-300);
        Assert.True(ok, $"{what}: scipy {expected:R}, Ferry {actual:R}");
    }
}
