using System.Globalization;

namespace Ferry.Delivery.Statistics;

/// <summary>
/// Turns per-variant summaries into an <see cref="ExperimentRecommendation"/>.
/// </summary>
/// <remarks>
/// The first variant is the control; every other variant is tested against it (two-proportion z or Welch's t), each
/// at alpha / (variants - 1) (Bonferroni), so that more arms do not mean more false winners. Below the minimum
/// sample size in any variant nothing is tested. A challenger significantly better than the control wins (the best
/// of them when several are); the control wins when every challenger is significantly worse; otherwise collect more.
/// </remarks>
public static class ExperimentAnalyzer
{
    public static ExperimentRecommendation Recommend(IReadOnlyList<VariantSummary> variants, ExperimentPolicy policy)
    {
        Validate(variants, policy);
        var control = variants[0];
        var alpha = policy.Alpha / (variants.Count - 1);
        foreach (var v in variants)
        {
            if (v.Count < policy.MinSamplesPerVariant)
            {
                return new ExperimentRecommendation
                {
                    Decision = ExperimentDecision.KeepCollecting, Baseline = control.Name, Alpha = alpha,
                    Reason = Invariant($"variant '{v.Name}' has {v.Count} observations; {policy.MinSamplesPerVariant} are needed per variant"),
                };
            }
        }

        Comparison? best = null, closest = null;
        var worseCount = 0;
        for (var i = 1; i < variants.Count; i++)
        {
            var c = Compare(control, variants[i], policy);
            if (closest is null || c.Test.PValue < closest.Test.PValue)
            {
                closest = c;
            }

            if (c.Test.PValue >= alpha)
            {
                continue;
            }

            var better = policy.HigherIsBetter ? c.Difference > 0 : c.Difference < 0;
            if (!better)
            {
                worseCount++;
            }
            else if (best is null || (policy.HigherIsBetter ? c.Difference > best.Difference : c.Difference < best.Difference))
            {
                best = c;
            }
        }

        if (best is not null)
        {
            return Decide(best, best.Challenger, control, alpha,
                Invariant($"'{best.Challenger}' beats '{control.Name}' by {best.Difference:G4} ({best.Test.Test} p={best.Test.PValue:G4} < {alpha:G4})"));
        }

        if (worseCount == variants.Count - 1)
        {
            // Every challenger lost significantly; report the one closest to the control.
            return Decide(closest!, control.Name, control, alpha,
                Invariant($"every challenger is worse than '{control.Name}'; closest '{closest!.Challenger}' by {closest.Difference:G4} (p={closest.Test.PValue:G4} < {alpha:G4})"));
        }

        return new ExperimentRecommendation
        {
            Decision = ExperimentDecision.KeepCollecting, Baseline = control.Name, Challenger = closest!.Challenger,
            Difference = closest.Difference, EffectSize = closest.EffectSize, Test = closest.Test, Alpha = alpha,
            Reason = Invariant($"no significant difference yet: smallest p={closest.Test.PValue:G4} ('{closest.Challenger}' vs '{control.Name}') is not below {alpha:G4}"),
        };
    }

    private static ExperimentRecommendation Decide(Comparison c, string winner, VariantSummary control, double alpha, string reason) => new()
    {
        Decision = ExperimentDecision.Winner, Winner = winner, Baseline = control.Name, Challenger = c.Challenger,
        Difference = c.Difference, EffectSize = c.EffectSize, Test = c.Test, Alpha = alpha, Reason = reason,
    };

    private static Comparison Compare(VariantSummary control, VariantSummary challenger, ExperimentPolicy policy)
    {
        if (policy.Kind == ExperimentMetricKind.Proportion)
        {
            var p0 = control.Successes!.Value / (double)control.Count;
            var p1 = challenger.Successes!.Value / (double)challenger.Count;
            var test = TwoProportionZTest.Compute(challenger.Successes.Value, challenger.Count, control.Successes.Value, control.Count);
            var h = (2 * Math.Asin(Math.Sqrt(p1))) - (2 * Math.Asin(Math.Sqrt(p0)));
            return new Comparison(challenger.Name, p1 - p0, h, test);
        }

        var welch = WelchTTest.Compute(challenger.Mean!.Value, challenger.Variance!.Value, challenger.Count, control.Mean!.Value, control.Variance!.Value, control.Count);
        var pooled = Math.Sqrt((challenger.Variance.Value + control.Variance.Value) / 2);
        var diff = challenger.Mean.Value - control.Mean.Value;
        return new Comparison(challenger.Name, diff, pooled == 0 ? 0 : diff / pooled, welch);
    }

    private static void Validate(IReadOnlyList<VariantSummary> variants, ExperimentPolicy policy)
    {
        if (variants.Count < 2)
        {
            throw new ArgumentException("an experiment needs at least two variants", nameof(variants));
        }

        if (policy.Alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), $"alpha must be in (0, 1), not {policy.Alpha}");
        }

        foreach (var v in variants)
        {
            var ok = policy.Kind == ExperimentMetricKind.Proportion
                ? v.Successes is { } s && s >= 0 && s <= v.Count
                : v.Mean is { } m && double.IsFinite(m) && v.Variance is { } var && var >= 0;
            if (!ok || v.Count < 0)
            {
                throw new ArgumentException(
                    policy.Kind == ExperimentMetricKind.Proportion
                        ? $"variant '{v.Name}' needs successes between 0 and its count ({v.Count})"
                        : $"variant '{v.Name}' needs a finite mean and a non-negative variance",
                    nameof(variants));
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Comparison(string Challenger, double Difference, double EffectSize, TestResult Test);
}
