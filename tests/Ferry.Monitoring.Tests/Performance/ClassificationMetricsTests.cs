using Ferry.Monitoring.Labels;
using Ferry.Monitoring.Performance;

namespace Ferry.Monitoring.Tests.Performance;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void Auc_CountsPairsRankedRight_WithTiesAsHalf()
    {
        // Positives scored 0.9, 0.6, 0.4; negatives 0.6, 0.2: of 6 pairs, 4 right, 1 tied (0.6/0.6), 1 wrong (0.4 < 0.6).
        LabelledPrediction Row(int actual, double score) => new(new LabelValue(score >= 0.5 ? 1 : 0, null), new LabelValue(actual, null), score);
        var rows = new[] { Row(1, 0.9), Row(1, 0.6), Row(1, 0.4), Row(0, 0.6), Row(0, 0.2) };

        var metrics = ClassificationMetrics.Compute(rows);

        Assert.Equal(4.5 / 6, metrics["auc"], 12);
        Assert.Equal(3.0 / 5, metrics["accuracy"], 12);
        Assert.Equal(2.0 / 3, metrics["precision"], 12);
        Assert.Equal(2.0 / 3, metrics["recall"], 12);
    }

    [Fact]
    public void Regression_GivesMaeAndRmse()
    {
        var rows = new[] { new LabelledPrediction(new(3, null), new(1, null), double.NaN), new LabelledPrediction(new(1, null), new(2, null), double.NaN) };

        var metrics = RegressionMetrics.Compute(rows);

        Assert.Equal(1.5, metrics["mae"], 12);
        Assert.Equal(Math.Sqrt(2.5), metrics["rmse"], 12);
    }
}
