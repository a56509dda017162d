using Ferry.Delivery.Live;
using Ferry.Monitoring.Labels;
using Ferry.Monitoring.Performance;

namespace Ferry.Delivery.Analysis;

/// <summary>
/// The stable version's and the candidate's predictions of this rollout joined to the ground-truth labels that have
/// arrived (by request id, row 0): what the realised checks (accuracy, mae) measure.
/// </summary>
public sealed record LabelledWindow(IReadOnlyList<LabelledPrediction> Stable, IReadOnlyList<LabelledPrediction> Candidate)
{
    public static LabelledWindow Empty { get; } = new([], []);

    /// <summary>Joins each version's kept predictions to <paramref name="labels"/>; predictions without a label are left out.</summary>
    public static LabelledWindow Join(
        LabelledPredictions stable, LabelledPredictions candidate, IReadOnlyDictionary<(string RequestId, int Row), GroundTruth> labels) =>
        new(JoinOne(stable, labels), JoinOne(candidate, labels));

    /// <summary>Share of predictions equal to their label (1, 1.0 and "1" are one class); null with none.</summary>
    public static double? Accuracy(IReadOnlyList<LabelledPrediction> rows)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        var right = 0;
        foreach (var r in rows)
        {
            if (string.Equals(r.Predicted.Key, r.Actual.Key, StringComparison.Ordinal))
            {
                right++;
            }
        }

        return (double)right / rows.Count;
    }

    /// <summary>Mean absolute error over the rows whose label is a number, with their count.</summary>
    public static (double? Value, int Samples) MeanAbsoluteError(IReadOnlyList<LabelledPrediction> rows)
    {
        double sum = 0;
        var n = 0;
        foreach (var r in rows)
        {
            if (r.Actual.Number is { } y && r.Predicted.Number is { } p)
            {
                sum += Math.Abs(y - p);
                n++;
            }
        }

        return (n == 0 ? null : sum / n, n);
    }

    private static List<LabelledPrediction> JoinOne(LabelledPredictions predictions, IReadOnlyDictionary<(string, int), GroundTruth> labels)
    {
        var joined = new List<LabelledPrediction>();
        foreach (var (id, prediction) in predictions.Snapshot())
        {
            if (labels.TryGetValue((id, 0), out var truth) && !truth.Label.IsEmpty)
            {
                joined.Add(new LabelledPrediction(new LabelValue(prediction, null), truth.Label, double.NaN));
            }
        }

        return joined;
    }
}
