using Ferry.Batch;
using Ferry.Batch.Io;
using Ferry.Batch.Scoring;
using Ferry.Inference.Models;
using Ferry.Monitoring.Labels;
using Ferry.Monitoring.Performance;

namespace Ferry.Delivery.Gates;

/// <summary>
/// Scores an evaluation dataset with a loaded model, with batch scoring's readers and binder, and computes the
/// optimising metric with monitoring's metric math (<see cref="ClassificationMetrics"/>, <see cref="RegressionMetrics"/>).
/// </summary>
public static class EvaluationScorer
{
    private const int ChunkRows = 4096;

    /// <summary>The metric's value and the number of rows it was computed over.</summary>
    /// <exception cref="FerryException">InvalidArgument naming the policy field when the dataset or model does not fit the metric.</exception>
    public static async Task<(double Value, int Rows)> ComputeAsync(
        ModelVersion model, IReadOnlyList<InputFile> files, OptimisingMetric metric, string datasetName, CancellationToken cancellationToken)
    {
        var (prediction, score) = PickOutputs(model.Signature, metric);
        ScoringPlan plan;
        try
        {
            plan = ScoringPlan.Create(model.Signature, new BatchJobSpec
            {
                Model = model.Name, Input = "", Output = "", Map = metric.Map, Keep = [metric.Label],
                Outputs = score is null || score.Spec.Name == prediction.Spec.Name ? [prediction.Spec.Name] : [prediction.Spec.Name, score.Spec.Name],
            });
        }
        catch (BatchUsageException e)
        {
            throw FerryException.Invalid($"policy.metric: model '{model.Name}' version {model.Version} cannot score {datasetName}: {e.Message}");
        }

        var predictionColumn = Binding(plan, prediction.Spec.Name).Columns[0];
        var scoreBinding = score is null ? null : Binding(plan, score.Spec.Name);
        var scoreColumn = scoreBinding?.Columns[scoreBinding.Width == 2 ? 1 : 0];
        var scorer = new ChunkScorer(model, plan, ErrorPolicy.Fail);
        var rows = new List<LabelledPrediction>();
        foreach (var file in files)
        {
            await using var reader = await file.OpenAsync(plan.ColumnsToRead, ChunkRows, cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(load: true, cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                if (!chunk.FileColumns.Contains(metric.Label))
                {
                    throw FerryException.Invalid(
                        $"policy.metric.label: {datasetName} has no column '{metric.Label}' in {chunk.FileName} (columns: {string.Join(", ", chunk.FileColumns)})");
                }

                ScoredChunk scored;
                try
                {
                    scored = await scorer.ScoreAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is BadRowException or BatchUsageException)
                {
                    throw FerryException.Invalid($"policy.metric.dataset: model '{model.Name}' version {model.Version} cannot score {datasetName}: {e.Message}");
                }

                Collect(scored, metric.Label, predictionColumn, scoreColumn, rows);
            }
        }

        var values = metric.HigherIsBetter ? ClassificationMetrics.Compute(rows) : RegressionMetrics.Compute(rows);
        if (!values.TryGetValue(metric.Name, out var value))
        {
            throw FerryException.Invalid(metric.Name == "auc"
                ? $"policy.metric.name: auc needs two classes in '{metric.Label}' and a score output (name one with policy.metric.score); {datasetName} scored with model '{model.Name}' gives neither"
                : $"policy.metric.name: {metric.Name} needs numeric labels in '{metric.Label}' and numeric predictions; {datasetName} has none");
        }

        return (value, rows.Count);
    }

    /// <summary>The prediction and score outputs the metric names, or the likely ones.</summary>
    private static (OutputBinding Prediction, OutputBinding? Score) PickOutputs(ModelSignature signature, OptimisingMetric metric)
    {
        var prediction = metric.Prediction is { } p
            ? signature.FindOutput(p) ?? throw FerryException.Invalid($"policy.metric.prediction: '{p}' is not an output of the model (outputs: {Names(signature)})")
            : PredictionOutputs.Of(signature) ?? throw FerryException.Invalid("policy.metric.prediction: the model has no output");
        TensorSpec? score = null;
        if (metric.Score is { } s)
        {
            score = signature.FindOutput(s) ?? throw FerryException.Invalid($"policy.metric.score: '{s}' is not an output of the model (outputs: {Names(signature)})");
        }
        else if (metric.Name == "auc")
        {
            score = Like(signature, "prob") ?? Like(signature, "score");
        }

        return (new OutputBinding(prediction, []), score is null ? null : new OutputBinding(score, []));
    }

    private static OutputBinding Binding(ScoringPlan plan, string output)
    {
        foreach (var binding in plan.Outputs)
        {
            if (binding.Spec.Name == output)
            {
                return binding;
            }
        }

        throw new InvalidOperationException($"the scoring plan has no output '{output}'");
    }

    private static TensorSpec? Like(ModelSignature signature, string part)
    {
        foreach (var output in signature.Outputs)
        {
            if (output.Name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return output;
            }
        }

        return null;
    }

    private static string Names(ModelSignature signature) => string.Join(", ", signature.Outputs.Select(o => o.Name));

    private static void Collect(ScoredChunk scored, string label, string predictionColumn, string? scoreColumn, List<LabelledPrediction> rows)
    {
        Array? labels = null, predictions = null, scores = null;
        foreach (var column in scored.Columns)
        {
            if (column.Name == label && labels is null)
            {
                labels = column.Values;
            }
            else if (column.Name == predictionColumn)
            {
                predictions = column.Values;
            }

            if (column.Name == scoreColumn)
            {
                scores = column.Values;
            }
        }

        for (var i = 0; i < scored.RowsOut; i++)
        {
            var actual = Normalize(LabelValue.Of(labels!.GetValue(i)));
            if (actual.IsEmpty)
            {
                continue;
            }

            var score = scores?.GetValue(i) is { } sv ? Convert.ToDouble(sv, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
            rows.Add(new LabelledPrediction(Normalize(LabelValue.Of(predictions!.GetValue(i))), actual, score));
        }
    }

    /// <summary>"true"/"false" labels compare equal to boolean predictions, which <see cref="LabelValue"/> reads as 1/0.</summary>
    private static LabelValue Normalize(LabelValue value) => value.Text switch
    {
        { } t when t.Equals("true", StringComparison.OrdinalIgnoreCase) => new LabelValue(1, null),
        { } t when t.Equals("false", StringComparison.OrdinalIgnoreCase) => new LabelValue(0, null),
        { Length: 0 } => default,
        _ => value,
    };
}
