namespace Ferry.Monitoring.Performance;

/// <summary>
/// Accuracy, precision, recall and F1 (for the positive class when there are two classes, macro-averaged over
/// classes otherwise), and ROC AUC when a score exists and there are two classes. The positive class is "1" or
/// "true" when present, else the last class in ordinal order.
/// </summary>
public static class ClassificationMetrics
{
    public static Dictionary<string, double> Compute(IReadOnlyList<LabelledPrediction> rows)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (rows.Count == 0)
        {
            return metrics;
        }

        var classes = rows.SelectMany(r => new[] { r.Actual.Key, r.Predicted.Key }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        metrics["accuracy"] = rows.Count(r => r.Actual.Key == r.Predicted.Key) / (double)rows.Count;
        var positives = classes.Length <= 2 ? [Positive(classes)] : classes;
        double precision = 0, recall = 0, f1 = 0;
        foreach (var c in positives)
        {
            var tp = rows.Count(r => r.Predicted.Key == c && r.Actual.Key == c);
            var fp = rows.Count(r => r.Predicted.Key == c && r.Actual.Key != c);
            var fn = rows.Count(r => r.Predicted.Key != c && r.Actual.Key == c);
            var p = tp + fp > 0 ? tp / (double)(tp + fp) : 0;
            var rc = tp + fn > 0 ? tp / (double)(tp + fn) : 0;
            precision += p;
            recall += rc;
            f1 += p + rc > 0 ? 2 * p * rc / (p + rc) : 0;
        }

        metrics["precision"] = precision / positives.Length;
        metrics["recall"] = recall / positives.Length;
        metrics["f1"] = f1 / positives.Length;
        if (classes.Length == 2 && rows.All(r => !double.IsNaN(r.Score)) && Auc(rows, Positive(classes)) is { } auc)
        {
            metrics["auc"] = auc;
        }

        return metrics;
    }

    private static string Positive(string[] classes) =>
        classes.Contains("1") ? "1" : classes.FirstOrDefault(c => c.Equals("true", StringComparison.OrdinalIgnoreCase)) ?? classes[^1];

    /// <summary>Mann–Whitney U / (n₊·n₋) with average ranks for ties; null when one class is absent.</summary>
    private static double? Auc(IReadOnlyList<LabelledPrediction> rows, string positive)
    {
        var sorted = rows.OrderBy(r => r.Score).ToArray();
        double rankSum = 0;
        long pos = 0;
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            while (j < sorted.Length && sorted[j].Score == sorted[i].Score)
            {
                j++;
            }

            var rank = (i + j + 1) / 2.0;
            for (var k = i; k < j; k++)
            {
                if (sorted[k].Actual.Key == positive)
                {
                    rankSum += rank;
                    pos++;
                }
            }

            i = j;
        }

        var neg = sorted.Length - pos;
        return pos == 0 || neg == 0 ? null : (rankSum - (pos * (pos + 1) / 2.0)) / (pos * (double)neg);
    }
}
