using Ferry.Monitoring.Drift;

namespace Ferry.Monitoring.Tests.Drift;

public sealed class ReferenceProfileTests
{
    [Fact]
    public void NumbersWithFewDistinctValues_AreCategorical_AsEvidentlyTreatsThem()
    {
        var profile = ReferenceProfileBuilder.FromValues("test", new Dictionary<string, IReadOnlyList<object?>>
        {
            ["passengers"] = new object?[] { "1", "2", "3", "2", "1" },
            ["distance"] = new object?[] { "1.5", "2.5", "3.5", "4.5", "5.5", "6.5" },
        });

        Assert.Equal(FeatureKind.Categorical, profile.Features["passengers"].Kind);
        Assert.Equal(FeatureKind.Numeric, profile.Features["distance"].Kind);
        Assert.Equal(new[] { "1", "2", "3" }, ((CategoricalSketch)profile.Features["passengers"].Sketch).Counts.Keys.Order());
    }

    [Theory]
    [InlineData(FeatureKind.Numeric, 1000, "ks")]
    [InlineData(FeatureKind.Numeric, 1001, "wasserstein")]
    [InlineData(FeatureKind.Categorical, 1000, "chisquare")]
    [InlineData(FeatureKind.Categorical, 1001, "jensenshannon")]
    public void DefaultTest_FollowsEvidentlysRule(FeatureKind kind, long referenceRows, string expected)
    {
        Assert.Equal(expected, DriftDetector.DefaultTestName(kind, referenceRows));
    }
}
