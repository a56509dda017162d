using Ferry.Monitoring.Labels;
using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Performance;

/// <summary>
/// Joins logged predictions to their labels and measures them per window of prediction time. A window's figures
/// change as late labels arrive; "now" comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class PerformanceService
{
    private readonly PredictionLogReader _reader;
    private readonly LabelStore _labels;
    private readonly TimeProvider _time;

    public PerformanceService(PredictionLogReader reader, LabelStore labels, TimeProvider time)
    {
        _reader = reader;
        _labels = labels;
        _time = time;
    }

    public async Task<PerformanceReport> ComputeAsync(PerformanceRequest request, CancellationToken cancellationToken)
    {
        var windowMs = (long)request.Window.TotalMilliseconds;
        var toMs = Align((request.To ?? _time.GetUtcNow()).ToUnixTimeMilliseconds() + windowMs - 1, windowMs);
        var fromMs = request.From is { } from ? Align(from.ToUnixTimeMilliseconds(), windowMs) : toMs - (24 * windowMs);
        var range = new LogRange(request.Model, request.Version, DateTimeOffset.FromUnixTimeMilliseconds(fromMs), DateTimeOffset.FromUnixTimeMilliseconds(toMs));
        var labels = await _labels.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var count = (int)((toMs - fromMs) / windowMs);
        var joined = Enumerable.Range(0, count).Select(_ => new List<LabelledPrediction>()).ToArray();
        var predictions = new long[count];
        string? output = null, score = null;
        await foreach (var chunk in _reader.ReadAsync(range, cancellationToken).ConfigureAwait(false))
        {
            output ??= OutputColumns.Prediction(chunk, request.Output);
            score ??= OutputColumns.Score(chunk, request.Score, output);
            var predicted = chunk.Columns.GetValueOrDefault(output);
            var scores = score is null ? null : chunk.Columns.GetValueOrDefault(score) as double[];
            for (var i = 0; i < chunk.RowCount; i++)
            {
                if (!chunk.InRange(i, fromMs, toMs) || chunk.Statuses[i] != "ok")
                {
                    continue;
                }

                var w = (int)((chunk.TimestampsMs[i] - fromMs) / windowMs);
                predictions[w]++;
                if (predicted is not null && labels.TryGetValue((chunk.RequestIds[i], chunk.Rows[i]), out var truth))
                {
                    joined[w].Add(new LabelledPrediction(LabelValue.Of(predicted.GetValue(i)), truth.Label, scores?[i] ?? double.NaN));
                }
            }
        }

        var task = request.Task ?? (joined.SelectMany(j => j).All(r => r.Actual.IsIntegral && r.Predicted.IsIntegral || r.Actual.Text is not null) ? "classification" : "regression");
        var classification = task.Equals("classification", StringComparison.OrdinalIgnoreCase);
        var windows = new List<PerformanceWindow>(count);
        for (var w = 0; w < count; w++)
        {
            var metrics = classification ? ClassificationMetrics.Compute(joined[w]) : RegressionMetrics.Compute(joined[w]);
            windows.Add(new PerformanceWindow(
                DateTimeOffset.FromUnixTimeMilliseconds(fromMs + (w * windowMs)),
                DateTimeOffset.FromUnixTimeMilliseconds(fromMs + ((w + 1) * windowMs)),
                predictions[w],
                joined[w].Count,
                metrics));
        }

        return new PerformanceReport
        {
            Model = request.Model,
            Version = request.Version,
            Task = classification ? "classification" : "regression",
            Output = output is null ? "" : output[LogColumns.OutputPrefix.Length..],
            Score = score?[LogColumns.OutputPrefix.Length..],
            Window = request.Window,
            Windows = windows,
            Trend = Trends.Of(windows, classification ? "accuracy" : "mae", higherIsBetter: classification),
        };
    }

    private static long Align(long ms, long windowMs) => ms - (((ms % windowMs) + windowMs) % windowMs);
}
