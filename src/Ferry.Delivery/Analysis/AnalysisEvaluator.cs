using Ferry.Delivery.Live;
using Ferry.Delivery.Model;
using Ferry.Monitoring.Drift;

namespace Ferry.Delivery.Analysis;

/// <summary>
/// Evaluates a canary's checks over one closed window of the candidate and of the stable version. Pure: the same
/// windows give the same results, which the controller records with their numbers.
/// </summary>
/// <remarks>
/// Prediction drift is the two-sample Kolmogorov–Smirnov D between the two versions' predictions in the window,
/// computed by Ferry.Monitoring's <see cref="KolmogorovSmirnovTest"/> over <see cref="NumericSketch"/> counts on
/// 20 equal bins spanning both samples; comparing with the stable version in the same window (not a training
/// profile) makes the check blind to drift in the traffic itself, which moves both alike.
/// <para>
/// Accuracy and mae are realised: labels come late, so they are measured not on the window just closed (whose
/// predictions rarely have labels yet) but on every prediction of the rollout kept for joining (the latest 4,096 per
/// version that carried a request id) whose label has arrived by now; their samples are those labelled predictions.
/// </para>
/// </remarks>
public static class AnalysisEvaluator
{
    private const int DriftBins = 20;

    public static IReadOnlyList<CheckResult> Evaluate(
        IReadOnlyList<MetricCheck> checks, LiveWindow stable, LiveWindow candidate, LabelledWindow? labelled = null)
    {
        labelled ??= LabelledWindow.Empty;
        var results = new List<CheckResult>(checks.Count);
        double[]? stablePredictions = null;
        double[]? candidatePredictions = null;
        foreach (var check in checks)
        {
            double? value = null;
            double? stableValue = null;
            double? pValue = null;
            long candidateSamples = candidate.Requests;
            long stableSamples = stable.Requests;
            var enough = candidateSamples >= check.MinSamples;
            switch (check.Metric)
            {
                case CheckMetric.ErrorRate:
                    value = candidateSamples == 0 ? 0 : (double)candidate.Errors / candidateSamples;
                    stableValue = stableSamples == 0 ? null : (double)stable.Errors / stableSamples;
                    break;
                case CheckMetric.LatencyP99Ms:
                    value = candidate.Latency.PercentileMs(0.99);
                    stableValue = stableSamples == 0 ? null : stable.Latency.PercentileMs(0.99);
                    break;
                case CheckMetric.PredictionDrift:
                    stablePredictions ??= stable.Predictions();
                    candidatePredictions ??= candidate.Predictions();
                    candidateSamples = candidatePredictions.Length;
                    stableSamples = stablePredictions.Length;
                    enough = candidateSamples >= check.MinSamples && stableSamples >= check.MinSamples;
                    if (enough)
                    {
                        var (d, p) = Drift(stablePredictions, candidatePredictions);
                        value = d;
                        pValue = p;
                    }

                    break;
                case CheckMetric.Accuracy:
                    candidateSamples = labelled.Candidate.Count;
                    stableSamples = labelled.Stable.Count;
                    enough = candidateSamples >= check.MinSamples;
                    value = LabelledWindow.Accuracy(labelled.Candidate);
                    stableValue = LabelledWindow.Accuracy(labelled.Stable);
                    break;
                case CheckMetric.Mae:
                    (value, var n) = LabelledWindow.MeanAbsoluteError(labelled.Candidate);
                    (stableValue, var m) = LabelledWindow.MeanAbsoluteError(labelled.Stable);
                    candidateSamples = n;
                    stableSamples = m;
                    enough = candidateSamples >= check.MinSamples;
                    break;
            }

            double? failAbove = null, succeedAtMost = null, failBelow = null, succeedAtLeast = null;
            CheckOutcome outcome;
            if (check.HigherIsBetter)
            {
                failBelow = check.FailBelow ?? 0;
                succeedAtLeast = check.SucceedAtLeast ?? failBelow;
                outcome = !enough || value is null ? CheckOutcome.TooFewSamples
                    : value < failBelow ? CheckOutcome.Failure
                    : value >= succeedAtLeast ? CheckOutcome.Success
                    : CheckOutcome.Inconclusive;
            }
            else
            {
                failAbove = check.FailAbove ?? 0;
                succeedAtMost = check.SucceedAtMost ?? failAbove;
                outcome = !enough || value is null ? CheckOutcome.TooFewSamples
                    : value > failAbove ? CheckOutcome.Failure
                    : value <= succeedAtMost ? CheckOutcome.Success
                    : CheckOutcome.Inconclusive;
            }

            results.Add(new CheckResult
            {
                Check = check.DisplayName,
                Metric = check.Metric,
                Outcome = outcome,
                Value = enough ? value : null,
                StableValue = stableValue,
                PValue = pValue,
                FailAbove = failAbove,
                SucceedAtMost = succeedAtMost,
                FailBelow = failBelow,
                SucceedAtLeast = succeedAtLeast,
                CandidateSamples = candidateSamples,
                StableSamples = stableSamples,
                MinSamples = check.MinSamples,
            });
        }

        return results;
    }

    /// <summary>KS D and its p-value between two samples, binned on shared equal-width edges.</summary>
    public static (double Statistic, double PValue) Drift(double[] reference, double[] current)
    {
        var low = double.PositiveInfinity;
        var high = double.NegativeInfinity;
        foreach (var x in reference)
        {
            low = Math.Min(low, x);
            high = Math.Max(high, x);
        }

        foreach (var x in current)
        {
            low = Math.Min(low, x);
            high = Math.Max(high, x);
        }

        if (!double.IsFinite(low) || !double.IsFinite(high) || high <= low)
        {
            // All values equal (or none): the two samples cannot differ.
            return (0, 1);
        }

        var edges = new double[DriftBins + 1];
        for (var i = 0; i <= DriftBins; i++)
        {
            edges[i] = low + ((high - low) * i / DriftBins);
        }

        var r = new NumericSketch("reference", edges);
        var c = new NumericSketch("current", edges);
        foreach (var x in reference)
        {
            r.Add(x);
        }

        foreach (var x in current)
        {
            c.Add(x);
        }

        var points = new double[r.Counts.Length];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = i;
        }

        return KolmogorovSmirnovTest.Compute(new Binned(points, ToDoubles(r.Counts), ToDoubles(c.Counts)));
    }

    private static double[] ToDoubles(long[] counts)
    {
        var values = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            values[i] = counts[i];
        }

        return values;
    }
}
