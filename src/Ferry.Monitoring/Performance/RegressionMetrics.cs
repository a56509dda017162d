namespace Ferry.Monitoring.Performance;

/// <summary>Mean absolute error and root mean squared error over rows with numeric labels and predictions.</summary>
public static class RegressionMetrics
{
    public static Dictionary<string, double> Compute(IReadOnlyList<LabelledPrediction> rows)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        double abs = 0, squares = 0;
        var n = 0;
        foreach (var r in rows)
        {
            if (r.Actual.Number is { } y && r.Predicted.Number is { } p)
            {
                abs += Math.Abs(y - p);
                squares += (y - p) * (y - p);
                n++;
            }
        }

        if (n > 0)
        {
            metrics["mae"] = abs / n;
            metrics["rmse"] = Math.Sqrt(squares / n);
        }

        return metrics;
    }
}
