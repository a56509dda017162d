using Ferry.Delivery.Analysis;
using Ferry.Delivery.Live;
using Ferry.Delivery.Model;
using Ferry.Delivery.Rollout;
using Ferry.Monitoring.Labels;

namespace Ferry.Delivery.Tests;

/// <summary>The analysis pieces on their own: the latency histogram, the drift statistic, thresholds and the failure limit.</summary>
public sealed class AnalysisUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LatencyHistogram_P99_IsWithinOneBucketOfTheTrueValue()
    {
        var histogram = new LatencyHistogram();
        for (var i = 1; i <= 1000; i++)
        {
            histogram.Add(TimeSpan.FromMilliseconds(i));
        }

        // The true p99 is 990 ms; buckets are 12.5 % wide at most.
        Assert.InRange(histogram.PercentileMs(0.99), 990, 990 * 1.125);
        Assert.InRange(histogram.PercentileMs(0.5), 500, 500 * 1.125);
    }

    [Fact]
    public void Evaluate_ErrorRateBetweenBounds_IsInconclusive_AndPausesTheCanary()
    {
        var stable = Window(200, 0, i => i / 200.0);
        var candidate = Window(200, 4, i => i / 200.0); // 2 %
        var check = new MetricCheck { Metric = CheckMetric.ErrorRate, FailAbove = 0.05, SucceedAtMost = 0.01, MinSamples = 100 };

        var results = AnalysisEvaluator.Evaluate([check], stable, candidate);
        var spec = new DeploymentSpec { Strategy = DeliveryStrategy.Canary, Steps = [new CanaryStep { SetWeight = 50 }], Analysis = new AnalysisSpec { Checks = [check] } };
        var state = new DeploymentState { StableVersion = 1, CandidateVersion = 2, Phase = DeploymentPhase.Progressing, CandidateWeight = 50 };
        var next = RolloutPlanner.Analyse(spec, state, results, Now);

        Assert.Equal(CheckOutcome.Inconclusive, results[0].Outcome);
        Assert.Equal(0.02, results[0].Value!.Value, 6);
        Assert.Equal(DeploymentPhase.Paused, next.State.Phase);
        Assert.Contains("inconclusive", next.State.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyse_FailuresWithinTheLimit_KeepGoing_OneMoreAborts()
    {
        var check = new MetricCheck { Metric = CheckMetric.ErrorRate, FailAbove = 0.01, FailureLimit = 1, MinSamples = 10 };
        var spec = new DeploymentSpec { Strategy = DeliveryStrategy.Canary, Steps = [new CanaryStep { SetWeight = 50 }], Analysis = new AnalysisSpec { Checks = [check] } };
        var state = new DeploymentState { StableVersion = 1, CandidateVersion = 2, Phase = DeploymentPhase.Progressing, CandidateWeight = 50 };
        var failing = AnalysisEvaluator.Evaluate([check], Window(100, 0, _ => 0), Window(100, 10, _ => 0));

        var first = RolloutPlanner.Analyse(spec, state, failing, Now);
        var second = RolloutPlanner.Analyse(spec, first.State, failing, Now.AddMinutes(1));

        Assert.Equal(DeploymentPhase.Progressing, first.State.Phase);
        Assert.Equal(1, first.State.Failures["error_rate"]);
        Assert.Equal(DeploymentPhase.Aborted, second.State.Phase);
        Assert.Equal(0, second.State.CandidateWeight);
    }

    [Fact]
    public void Evaluate_FewerSamplesThanTheMinimum_DecidesNothing()
    {
        var check = new MetricCheck { Metric = CheckMetric.PredictionDrift, FailAbove = 0.1, MinSamples = 500 };

        var results = AnalysisEvaluator.Evaluate([check], Window(1000, 0, i => i), Window(50, 0, i => i + 1000));

        Assert.Equal(CheckOutcome.TooFewSamples, results[0].Outcome);
        Assert.Null(results[0].Value);
    }

    [Fact]
    public void Drift_SameDistribution_IsSmall_ShiftedOne_IsLarge()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToArray();
        var shifted = b.Select(x => x + 0.3).ToArray();

        var (same, pSame) = AnalysisEvaluator.Drift(a, b);
        var (moved, pMoved) = AnalysisEvaluator.Drift(a, shifted);

        Assert.True(same < 0.06 && pSame > 0.01, $"D={same}, p={pSame}");
        Assert.True(moved > 0.25 && pMoved < 1e-6, $"D={moved}, p={pMoved}");
    }

    [Fact]
    public void Evaluate_AccuracyBetweenFailBelowAndSucceedAtLeast_IsInconclusive_AndPausesTheCanary()
    {
        // 100 labelled predictions each; the candidate is right on 92 of them, the stable version on all.
        var stable = new LabelledPredictions();
        var candidate = new LabelledPredictions();
        var labels = new Dictionary<(string RequestId, int Row), GroundTruth>();
        for (var i = 0; i < 100; i++)
        {
            stable.Add($"s{i}", i % 2);
            candidate.Add($"c{i}", i < 8 ? 1 - (i % 2) : i % 2);
            labels[($"s{i}", 0)] = new GroundTruth($"s{i}", 0, new LabelValue(i % 2, null), Now);
            labels[($"c{i}", 0)] = new GroundTruth($"c{i}", 0, new LabelValue(null, (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)), Now);
        }

        candidate.Add("unlabelled", 1);
        var check = new MetricCheck { Metric = CheckMetric.Accuracy, FailBelow = 0.9, SucceedAtLeast = 0.95, MinSamples = 100 };
        var results = AnalysisEvaluator.Evaluate([check], Window(10, 0, _ => 0), Window(10, 0, _ => 0), LabelledWindow.Join(stable, candidate, labels));
        var spec = new DeploymentSpec { Strategy = DeliveryStrategy.Canary, Steps = [new CanaryStep { SetWeight = 50 }], Analysis = new AnalysisSpec { Checks = [check] } };
        var state = new DeploymentState { StableVersion = 1, CandidateVersion = 2, Phase = DeploymentPhase.Progressing, CandidateWeight = 50, AwaitingLabels = true };
        var next = RolloutPlanner.Analyse(spec, state, results, Now);

        Assert.Equal(CheckOutcome.Inconclusive, results[0].Outcome);
        Assert.Equal(0.92, results[0].Value!.Value, 9);
        Assert.Equal(1.0, results[0].StableValue!.Value, 9);
        Assert.Equal(100, results[0].CandidateSamples);
        Assert.Equal(DeploymentPhase.Paused, next.State.Phase);
        Assert.False(next.State.AwaitingLabels);
    }

    [Fact]
    public void Advance_StepsDoneWhileAwaitingLabels_DoesNotPromote()
    {
        var spec = new DeploymentSpec { Strategy = DeliveryStrategy.Canary, Steps = [new CanaryStep { SetWeight = 50 }] };
        var state = new DeploymentState { StableVersion = 1, CandidateVersion = 2, Phase = DeploymentPhase.Progressing, AwaitingLabels = true };

        var held = RolloutPlanner.Advance(spec, state, Now);
        var released = RolloutPlanner.Advance(spec, held.State with { AwaitingLabels = false }, Now);

        Assert.Equal(DeploymentPhase.Progressing, held.State.Phase);
        Assert.Equal(1, held.State.StableVersion);
        Assert.Contains("waiting for enough labelled predictions", held.State.Reason, StringComparison.Ordinal);
        Assert.Equal(DeploymentPhase.Stable, released.State.Phase);
        Assert.Equal(2, released.State.StableVersion);
    }

    private static LiveWindow Window(int requests, int errors, Func<int, double> prediction)
    {
        var window = new LiveWindow(Now);
        for (var i = 0; i < requests; i++)
        {
            window.Record(TimeSpan.FromMilliseconds(1), failed: i < errors, prediction(i));
        }

        return window;
    }
}
