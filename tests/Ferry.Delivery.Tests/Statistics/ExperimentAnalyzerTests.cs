using Ferry.Delivery.Statistics;

namespace Ferry.Delivery.Tests.Statistics;

public sealed class ExperimentAnalyzerTests
{
    private static readonly ExperimentPolicy Accuracy = new() { Kind = ExperimentMetricKind.Proportion, HigherIsBetter = true, MinSamplesPerVariant = 500 };

    [Fact]
    public void Recommend_BelowMinimumSamples_KeepsCollectingAndNamesTheVariant()
    {
        var r = ExperimentAnalyzer.Recommend([VariantSummary.Proportion("stable", 480, 1000), VariantSummary.Proportion("canary", 300, 320)], Accuracy);

        Assert.Equal(ExperimentDecision.KeepCollecting, r.Decision);
        Assert.Null(r.Winner);
        Assert.Null(r.Test);
        Assert.Contains("'canary' has 320 observations; 500", r.Reason);
    }

    [Fact]
    public void Recommend_NotSignificant_KeepsCollectingWithTheClosestCall()
    {
        var r = ExperimentAnalyzer.Recommend([VariantSummary.Proportion("stable", 800, 1000), VariantSummary.Proportion("canary", 810, 1000)], Accuracy);

        Assert.Equal(ExperimentDecision.KeepCollecting, r.Decision);
        Assert.Equal("canary", r.Challenger);
        Assert.Equal(0.01, r.Difference!.Value, 12);
        Assert.True(r.Test!.PValue > 0.05, $"p={r.Test.PValue}");
        Assert.Contains("no significant difference", r.Reason);
    }

    [Fact]
    public void Recommend_SignificantlyBetterChallenger_WinsWithEffectSizeAndPValue()
    {
        var r = ExperimentAnalyzer.Recommend([VariantSummary.Proportion("stable", 800, 1000), VariantSummary.Proportion("canary", 870, 1000)], Accuracy);

        Assert.Equal(ExperimentDecision.Winner, r.Decision);
        Assert.Equal("canary", r.Winner);
        Assert.Equal(0.07, r.Difference!.Value, 12);
        var h = (2 * Math.Asin(Math.Sqrt(0.87))) - (2 * Math.Asin(Math.Sqrt(0.80)));
        Assert.Equal(h, r.EffectSize!.Value, 12);
        Assert.Equal(TwoProportionZTest.Compute(870, 1000, 800, 1000).PValue, r.Test!.PValue, 15);
        Assert.True(r.Test.PValue < 0.001);
    }

    [Fact]
    public void Recommend_LowerIsBetterMeans_PicksTheFasterVariant()
    {
        var latency = new ExperimentPolicy { Kind = ExperimentMetricKind.Mean, HigherIsBetter = false, MinSamplesPerVariant = 100 };

        var r = ExperimentAnalyzer.Recommend([VariantSummary.Means("stable", 400, 12.0, 9.0), VariantSummary.Means("canary", 400, 13.5, 16.0)], latency);

        Assert.Equal(ExperimentDecision.Winner, r.Decision);
        Assert.Equal("stable", r.Winner);
        Assert.Equal(1.5, r.Difference!.Value, 12);
        Assert.Equal(1.5 / Math.Sqrt(12.5), r.EffectSize!.Value, 12);
        Assert.Equal("Welch t", r.Test!.Test);
        Assert.Contains("every challenger is worse", r.Reason);
    }

    [Fact]
    public void Recommend_ThreeArms_SplitsAlphaAndPicksTheBestSignificantChallenger()
    {
        // B vs A: p ≈ 0.035, significant at 0.05 but not at the Bonferroni 0.025; C vs A is clearly better.
        var r = ExperimentAnalyzer.Recommend(
            [VariantSummary.Proportion("a", 600, 1000), VariantSummary.Proportion("b", 646, 1000), VariantSummary.Proportion("c", 700, 1000)], Accuracy);

        Assert.Equal(0.025, r.Alpha, 12);
        Assert.Equal(ExperimentDecision.Winner, r.Decision);
        Assert.Equal("c", r.Winner);

        var onlyB = ExperimentAnalyzer.Recommend(
            [VariantSummary.Proportion("a", 600, 1000), VariantSummary.Proportion("b", 646, 1000), VariantSummary.Proportion("c", 601, 1000)], Accuracy);
        var pB = TwoProportionZTest.Compute(646, 1000, 600, 1000).PValue;
        Assert.InRange(pB, 0.025, 0.05);
        Assert.Equal(ExperimentDecision.KeepCollecting, onlyB.Decision);
    }

    [Fact]
    public void Recommend_SuccessesAboveCount_IsRefusedNamingTheVariant()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ExperimentAnalyzer.Recommend([VariantSummary.Proportion("stable", 10, 100), VariantSummary.Proportion("canary", 120, 100)], Accuracy));
        Assert.Contains("'canary'", e.Message);
    }

    [Fact]
    public void ChiSquare_RaggedTable_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ChiSquareHomogeneityTest.Compute([new long[] { 1, 2 }, new long[] { 1 }]));
}
