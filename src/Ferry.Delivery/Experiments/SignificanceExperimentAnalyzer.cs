using System.Globalization;
using Ferry.Delivery.Statistics;

namespace Ferry.Delivery.Experiments;

/// <summary>
/// The A/B verdict from the significance tests in <c>Statistics/</c>: error rate by a two-proportion z-test, mean
/// latency by Welch's t, the prediction distribution by chi-square; a winner only from the first two.
/// </summary>
/// <remarks>
/// The error rate decides first (<see cref="ExperimentAnalyzer.Recommend"/>, lower is better). When the error rates do
/// not differ significantly, mean latency may decide, but only when the difference is also at least
/// <see cref="MinLatencyChange"/> of stable's mean: with thousands of requests Welch's t finds a tenth of a millisecond
/// significant, and nobody should switch a model for that. The prediction distributions are binned at stable's
/// deciles (or by value, when both variants predict at most <see cref="MaxClasses"/> distinct values, as classifiers
/// do) and reported without choosing a side: a different distribution is a fact to look at, not a better model.
/// Each variant needs <see cref="ExperimentPolicy.MinSamplesPerVariant"/> requests first; alpha is the policy's,
/// Bonferroni-split over the two deciding tests. Realised accuracy per variant needs labels joined by request id,
/// which the live stats do not keep; it is not tested here.
/// </remarks>
public sealed class SignificanceExperimentAnalyzer(ExperimentPolicy policy) : IExperimentAnalyzer
{
    /// <summary>The smallest relative change of mean latency that may name a winner. 20%.</summary>
    public const double MinLatencyChange = 0.2;

    /// <summary>Up to this many distinct predicted values, the distribution test counts values instead of deciles.</summary>
    public const int MaxClasses = 20;

    private const string Stable = "stable";
    private const string Candidate = "candidate";

    public ExperimentVerdict? Compare(VariantReport control, VariantReport treatment)
    {
        var alpha = policy.Alpha / 2;
        var tests = new List<ExperimentTest>(3);
        var min = policy.MinSamplesPerVariant;
        if (control.Requests < min || treatment.Requests < min)
        {
            return new ExperimentVerdict
            {
                Decision = "keep_collecting", Tests = tests,
                Explanation = Invariant($"each variant needs {min} requests first: stable has {control.Requests}, candidate {treatment.Requests}"),
            };
        }

        var errors = ErrorRate(control, treatment);
        tests.Add(errors);
        if (control.LatencyCount >= 2 && treatment.LatencyCount >= 2)
        {
            tests.Add(Latency(control, treatment, alpha));
        }

        if (Distribution(control, treatment, alpha) is { } distribution)
        {
            tests.Add(distribution);
        }

        foreach (var deciding in tests)
        {
            if (deciding.Better is { } better)
            {
                var version = better == Stable ? control.Version : treatment.Version;
                return new ExperimentVerdict
                {
                    Decision = "winner", Recommended = better, RecommendedVersion = version, Metric = deciding.Metric, PValue = deciding.PValue,
                    Tests = tests, Explanation = Invariant($"keep {better} (version {version}): {deciding.Message}"),
                };
            }
        }

        var closest = tests[0];
        foreach (var t in tests)
        {
            if (t.Metric != "prediction_distribution" && t.PValue < closest.PValue)
            {
                closest = t;
            }
        }

        return new ExperimentVerdict
        {
            Decision = "keep_collecting", Metric = closest.Metric, PValue = closest.PValue, Tests = tests,
            Explanation = Invariant($"no variant is better yet; closest call: {closest.Message}"),
        };
    }

    private ExperimentTest ErrorRate(VariantReport control, VariantReport treatment)
    {
        var recommendation = ExperimentAnalyzer.Recommend(
            [VariantSummary.Proportion(Stable, control.Errors, control.Requests), VariantSummary.Proportion(Candidate, treatment.Errors, treatment.Requests)],
            policy with { Kind = ExperimentMetricKind.Proportion, HigherIsBetter = false, Alpha = policy.Alpha / 2 });
        var test = recommendation.Test!;
        var better = recommendation.Decision == ExperimentDecision.Winner ? recommendation.Winner : null;
        return new ExperimentTest
        {
            Metric = "error_rate", Test = test.Test, Statistic = test.Statistic, DegreesOfFreedom = test.DegreesOfFreedom, PValue = test.PValue,
            Alpha = recommendation.Alpha, Significant = test.PValue < recommendation.Alpha, Difference = recommendation.Difference,
            EffectSize = recommendation.EffectSize, Better = better,
            Message = Invariant($"error rate {treatment.ErrorRate:P2} (candidate) vs {control.ErrorRate:P2} (stable), {test.Test} p={test.PValue:G4}")
                + (better is null ? Invariant($", not below {recommendation.Alpha:G4}") : Invariant($" < {recommendation.Alpha:G4}")),
        };
    }

    private static ExperimentTest Latency(VariantReport control, VariantReport treatment, double alpha)
    {
        var a = control.LatencyStdDevMs;
        var b = treatment.LatencyStdDevMs;
        var test = WelchTTest.Compute(treatment.LatencyMeanMs, b * b, treatment.LatencyCount, control.LatencyMeanMs, a * a, control.LatencyCount);
        var difference = treatment.LatencyMeanMs - control.LatencyMeanMs;
        var pooled = Math.Sqrt(((a * a) + (b * b)) / 2);
        var significant = test.PValue < alpha;
        var large = control.LatencyMeanMs > 0 && Math.Abs(difference) >= MinLatencyChange * control.LatencyMeanMs;
        string? better = significant && large ? (difference < 0 ? Candidate : Stable) : null;
        return new ExperimentTest
        {
            Metric = "latency_mean", Test = test.Test, Statistic = test.Statistic, DegreesOfFreedom = test.DegreesOfFreedom, PValue = test.PValue,
            Alpha = alpha, Significant = significant, Difference = difference, EffectSize = pooled == 0 ? 0 : difference / pooled, Better = better,
            Message = Invariant($"mean latency {treatment.LatencyMeanMs:0.###} ms (candidate) vs {control.LatencyMeanMs:0.###} ms (stable), {test.Test} p={test.PValue:G4}")
                + (significant ? (large ? "" : Invariant($", a change under {MinLatencyChange:P0}")) : Invariant($", not below {alpha:G4}")),
        };
    }

    private static ExperimentTest? Distribution(VariantReport control, VariantReport treatment, double alpha)
    {
        if (control.Predictions.Count == 0 || treatment.Predictions.Count == 0)
        {
            return null;
        }

        var edges = Classes(control.Predictions, treatment.Predictions) ?? Deciles(control.Predictions);
        if (edges.Length == 0)
        {
            return null;
        }

        var counts = new long[][] { Count(control.Predictions, edges), Count(treatment.Predictions, edges) };
        TestResult test;
        try
        {
            test = ChiSquareHomogeneityTest.Compute(counts);
        }
        catch (ArgumentException)
        {
            // Every prediction in one bin: nothing to compare.
            return null;
        }

        var significant = test.PValue < alpha;
        return new ExperimentTest
        {
            Metric = "prediction_distribution", Test = test.Test, Statistic = test.Statistic, DegreesOfFreedom = test.DegreesOfFreedom,
            PValue = test.PValue, Alpha = alpha, Significant = significant,
            Message = Invariant($"prediction distributions {(significant ? "differ" : "do not differ significantly")} over {edges.Length + 1} bins, {test.Test} p={test.PValue:G4}"),
        };
    }

    /// <summary>Bin upper edges at the distinct values, when both variants predict few of them; null otherwise.</summary>
    private static double[]? Classes(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var values = new SortedSet<double>();
        foreach (var list in (ReadOnlySpan<IReadOnlyList<double>>)[a, b])
        {
            for (var i = 0; i < list.Count; i++)
            {
                values.Add(list[i]);
                if (values.Count > MaxClasses)
                {
                    return null;
                }
            }
        }

        // Each value is an edge: bin k holds values <= edge k and above edge k-1; the last bin stays empty and is dropped.
        return [.. values];
    }

    private static double[] Deciles(IReadOnlyList<double> sample)
    {
        var sorted = sample.ToArray();
        Array.Sort(sorted);
        var edges = new SortedSet<double>();
        for (var i = 1; i < 10; i++)
        {
            edges.Add(sorted[(int)(i * 0.1 * (sorted.Length - 1))]);
        }

        return [.. edges];
    }

    private static long[] Count(IReadOnlyList<double> sample, double[] edges)
    {
        var counts = new long[edges.Length + 1];
        for (var i = 0; i < sample.Count; i++)
        {
            var at = Array.BinarySearch(edges, sample[i]);
            counts[at >= 0 ? at : ~at]++;
        }

        return counts;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
