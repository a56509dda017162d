using System.Globalization;
using Ferry.Storage;
using Ferry.Storage.Tracking;

namespace Ferry.Bench.Tracking;

/// <summary>
/// Loads the benchmark's runs straight through the store (the API's per-call limits would only slow the load):
/// RUNS runs of one experiment, each with a loss curve of POINTS steps, params lr and depth, a tag; and one run
/// with a long history for the streaming figure.
/// </summary>
internal static class Filler
{
    public static readonly string[] LearningRates = ["0.01", "0.1", "0.001"];

    public static async Task<(long ExperimentId, string HistoryRunId)> FillAsync(
        IMetadataStore store, int runs, int pointsPerRun, int historyPoints, CancellationToken cancellationToken)
    {
        var tracking = store.Tracking;
        var experiment = await tracking.CreateExperimentAsync("bench-" + Guid.NewGuid().ToString("N")[..8], null, new Dictionary<string, string>(),
            DateTimeOffset.UtcNow, cancellationToken);
        var random = new Random(7);
        const long T0 = 1_700_000_000_000;
        var points = new MetricPoint[pointsPerRun];
        for (var r = 0; r < runs; r++)
        {
            var runId = await NewRunAsync(tracking, experiment.Id, r, cancellationToken);

            // A decaying curve whose last value is spread over [0, 1), so `metrics.loss < 0.5` keeps about half the runs.
            var final = random.NextDouble();
            for (var step = 0; step < pointsPerRun; step++)
            {
                var value = final + (1.0 - final) * Math.Exp(-8.0 * step / pointsPerRun);
                points[step] = new MetricPoint(step % 2 == 0 ? "loss" : "accuracy", step % 2 == 0 ? value : 1 - value, T0 + step, step / 2);
            }

            // The last point of the loss series is exactly `final`.
            points[pointsPerRun - 2] = points[pointsPerRun - 2] with { Value = final };
            await tracking.LogBatchAsync(runId, new RunBatch
            {
                Metrics = points,
                Params = [new("lr", LearningRates[r % LearningRates.Length]), new("depth", (r % 8).ToString(CultureInfo.InvariantCulture))],
                Tags = [new("stage", r % 2 == 0 ? "dev" : "prod")],
            }, cancellationToken);
        }

        var history = await NewRunAsync(tracking, experiment.Id, runs, cancellationToken);
        const int Chunk = 10_000;
        for (var start = 0; start < historyPoints; start += Chunk)
        {
            var chunk = new MetricPoint[Math.Min(Chunk, historyPoints - start)];
            for (var i = 0; i < chunk.Length; i++)
            {
                var step = start + i;
                chunk[i] = new MetricPoint("loss", 1.0 / (step + 1), T0 + step, step);
            }

            await tracking.LogBatchAsync(history, new RunBatch { Metrics = chunk }, cancellationToken);
        }

        return (experiment.Id, history);
    }

    private static async Task<string> NewRunAsync(ITrackingStore tracking, long experimentId, int index, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N");
        await tracking.CreateRunAsync(new NewRun
        {
            RunId = runId,
            ExperimentId = experimentId,
            Name = "run-" + index.ToString(CultureInfo.InvariantCulture),
            UserId = "bench",
            StartTime = 1_700_000_000_000 + index,
            ArtifactUri = $"mlflow-artifacts:/{experimentId}/{runId}/artifacts",
        }, cancellationToken);
        return runId;
    }
}
