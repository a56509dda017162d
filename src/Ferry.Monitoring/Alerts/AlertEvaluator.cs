using System.Collections.Concurrent;
using Ferry.Monitoring.Drift;
using Ferry.Monitoring.Log;
using Ferry.Monitoring.Performance;

namespace Ferry.Monitoring.Alerts;

/// <summary>
/// Measures one rule's value over its window ending at a given time, from the prediction log, labels, drift
/// sketches or model ages. Reads only the columns the rule needs; reference profiles are built once per file.
/// </summary>
public sealed class AlertEvaluator
{
    private static readonly HashSet<string> StatusAndLatency = new(StringComparer.Ordinal) { LogColumns.Status, LogColumns.LatencyMs };

    private readonly PredictionLogReader _reader;
    private readonly DriftService _drift;
    private readonly PerformanceService _performance;
    private readonly IModelAgeSource _ages;
    private readonly IReferenceSource _referenceSource;
    private readonly ConcurrentDictionary<string, Task<ReferenceProfile>> _references = new(StringComparer.Ordinal);

    public AlertEvaluator(PredictionLogReader reader, DriftService drift, PerformanceService performance, IModelAgeSource ages, IReferenceSource references)
    {
        _referenceSource = references;
        _reader = reader;
        _drift = drift;
        _performance = performance;
        _ages = ages;
    }

    public async Task<AlertMeasurement> MeasureAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The window ends at the evaluation time and includes it: a prediction logged at "now" counts.
        var end = now + TimeSpan.FromMilliseconds(1);
        var range = new LogRange(rule.Model, rule.Version, end - rule.Window, end);
        return rule.Kind switch
        {
            AlertKinds.ErrorRate => await ErrorRateAsync(rule, range, cancellationToken).ConfigureAwait(false),
            AlertKinds.Latency => await LatencyAsync(rule, range, cancellationToken).ConfigureAwait(false),
            AlertKinds.Drift => await DriftAsync(rule, range, cancellationToken).ConfigureAwait(false),
            AlertKinds.Performance => await PerformanceAsync(rule, now, cancellationToken).ConfigureAwait(false),
            AlertKinds.Staleness => await StalenessAsync(rule, now, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"unknown alert kind '{rule.Kind}'"),
        };
    }

    private async Task<AlertMeasurement> ErrorRateAsync(AlertRule rule, LogRange range, CancellationToken cancellationToken)
    {
        long total = 0, failed = 0;
        await foreach (var chunk in _reader.ReadAsync(range, StatusAndLatency, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.RowCount; i++)
            {
                // One count per request: a batched request's rows share its status.
                if (chunk.Rows[i] == 0 && chunk.InRange(i, range.FromMs, range.ToMs))
                {
                    total++;
                    if (chunk.Statuses[i] != "ok")
                    {
                        failed++;
                    }
                }
            }
        }

        return total < rule.MinSamples
            ? AlertMeasurement.None(total, $"{total} requests in the window, {rule.MinSamples} needed")
            : new AlertMeasurement(failed / (double)total, total, $"{failed} of {total} requests failed");
    }

    private async Task<AlertMeasurement> LatencyAsync(AlertRule rule, LogRange range, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        await foreach (var chunk in _reader.ReadAsync(range, StatusAndLatency, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.RowCount; i++)
            {
                if (chunk.Rows[i] == 0 && chunk.InRange(i, range.FromMs, range.ToMs))
                {
                    latencies.Add(chunk.LatenciesMs[i]);
                }
            }
        }

        if (latencies.Count < rule.MinSamples)
        {
            return AlertMeasurement.None(latencies.Count, $"{latencies.Count} requests in the window, {rule.MinSamples} needed");
        }

        var metric = rule.Metric ?? "p99";
        var q = double.Parse(metric.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) / 100;
        latencies.Sort();
        // Nearest rank, as Prometheus-style summaries report: the smallest value with at least q of the rows at or below it.
        var rank = Math.Max(1, (int)Math.Ceiling(q * latencies.Count));
        var value = latencies[rank - 1];
        return new AlertMeasurement(value, latencies.Count, $"{metric} {value:0.###} ms over {latencies.Count} requests");
    }

    private async Task<AlertMeasurement> DriftAsync(AlertRule rule, LogRange range, CancellationToken cancellationToken)
    {
        // Profiled once per rule: the reference (training data) does not change while the server runs.
        var loading = _references.GetOrAdd(rule.Name, _ => _referenceSource.LoadAsync(rule.Reference!, rule.Model, rule.Version, CancellationToken.None));
        ReferenceProfile reference;
        try
        {
            reference = await loading.ConfigureAwait(false);
        }
        catch
        {
            // Not cached: a reference that could not be read (not registered yet, file not there) is tried again next time.
            _references.TryRemove(rule.Name, out _);
            throw;
        }

        var report = await _drift.DetectAsync(reference, range, null, null, DriftDetector.DefaultDatasetDriftShare, cancellationToken).ConfigureAwait(false);
        if (report.CurrentRows < rule.MinSamples)
        {
            return AlertMeasurement.None(report.CurrentRows, $"{report.CurrentRows} rows in the window, {rule.MinSamples} needed");
        }

        if (rule.Metric is { } feature)
        {
            var line = report.Features.FirstOrDefault(f => f.Feature == feature)
                ?? throw new ArgumentException($"the drift report of '{rule.Model}' has no feature '{feature}' (rule '{rule.Name}')");
            return new AlertMeasurement(line.Result.Statistic, report.CurrentRows, $"{feature}: {line.Result.Test} {line.Result.Statistic:0.####} (drifted: {line.Result.Drifted})");
        }

        var drifted = report.Features.Where(f => f.Result.Drifted).Select(f => f.Feature).ToArray();
        return new AlertMeasurement(report.DriftedShare, report.CurrentRows, drifted.Length == 0 ? "no feature drifted" : $"drifted: {string.Join(", ", drifted)}");
    }

    private async Task<AlertMeasurement> PerformanceAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var report = await _performance.ComputeAsync(
            new PerformanceRequest { Model = rule.Model, Version = rule.Version, Window = rule.Window, From = now - rule.Window, To = now },
            cancellationToken).ConfigureAwait(false);
        // The latest window with labels: labels arrive late, so the newest window may have none yet.
        for (var w = report.Windows.Count - 1; w >= 0; w--)
        {
            var window = report.Windows[w];
            if (window.Labelled > 0 && window.Metrics.TryGetValue(rule.Metric!, out var value))
            {
                return window.Labelled < rule.MinSamples
                    ? AlertMeasurement.None(window.Labelled, $"{window.Labelled} labelled predictions, {rule.MinSamples} needed")
                    : new AlertMeasurement(value, window.Labelled, $"{rule.Metric} {value:0.####} over {window.Labelled} labelled predictions from {window.Start:u}");
            }
        }

        return AlertMeasurement.None(0, "no labelled predictions in the window");
    }

    private async Task<AlertMeasurement> StalenessAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var created = rule.Metric == "data_age"
            ? await _ages.TrainingDataCreatedAsync(rule.Model, rule.Version, cancellationToken).ConfigureAwait(false)
            : await _ages.ModelCreatedAsync(rule.Model, rule.Version, cancellationToken).ConfigureAwait(false);
        if (created is not { } at)
        {
            return AlertMeasurement.None(0, rule.Metric == "data_age" ? "the model's training data is not known" : "the model's creation time is not known");
        }

        var days = (now - at).TotalDays;
        return new AlertMeasurement(days, 1, $"{rule.Metric} {days:0.##} days (since {at:u})");
    }
}
