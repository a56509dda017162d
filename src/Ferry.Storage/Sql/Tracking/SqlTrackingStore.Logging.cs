using System.Data.Common;
using Ferry.Storage.Tracking;

namespace Ferry.Storage.Sql.Tracking;

internal sealed partial class SqlTrackingStore
{
    public Task LogBatchAsync(string runId, RunBatch batch, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await CheckRunActiveAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in batch.Params)
            {
                await LogParamAsync(connection, transaction, runId, key, value, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (key, value) in batch.Tags)
            {
                await UpsertTagAsync(connection, transaction, runId, key, value, cancellationToken).ConfigureAwait(false);
            }

            foreach (var metric in batch.Metrics)
            {
                await LogMetricAsync(connection, transaction, runId, metric, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    public Task LogInputsAsync(string runId, IReadOnlyList<NewDatasetInput> inputs, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteRetryingAsync(async (connection, transaction) =>
        {
            await CheckRunActiveAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
            foreach (var input in inputs)
            {
                var (dataset, _) = await AddDatasetAsync(connection, transaction, input.Dataset with { CreatedAt = now }, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(Db.Command(connection, transaction,
                    "INSERT INTO run_inputs (run_id, dataset_id, context) VALUES (@run, @ds, @ctx) " +
                    "ON CONFLICT (run_id, dataset_id) DO UPDATE SET context = excluded.context")
                    .With("@run", runId).With("@ds", dataset.Id).With("@ctx", input.Context), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    private static async Task CheckRunActiveAsync(DbConnection connection, DbTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = Db.Command(connection, transaction, "SELECT lifecycle_stage FROM runs WHERE run_id = @id").With("@id", runId);
        var stage = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? throw RunMissing(runId);
        if (stage != LifecycleStages.Active)
        {
            throw FerryException.Invalid($"The run {runId} must be in the 'active' state. Current state is {stage}.");
        }
    }

    /// <summary>Params are write-once: the same value again is a no-op, another value is refused and rolls the batch back.</summary>
    private static async Task LogParamAsync(DbConnection connection, DbTransaction transaction, string runId, string key, string value, CancellationToken cancellationToken)
    {
        var inserted = await ExecuteAsync(Db.Command(connection, transaction,
            "INSERT INTO run_params (run_id, key, value) VALUES (@run, @k, @v) ON CONFLICT (run_id, key) DO NOTHING")
            .With("@run", runId).With("@k", key).With("@v", value), cancellationToken).ConfigureAwait(false);
        if (inserted == 1)
        {
            return;
        }

        await using var existing = Db.Command(connection, transaction, "SELECT value FROM run_params WHERE run_id = @run AND key = @k")
            .With("@run", runId).With("@k", key);
        var old = (string)(await existing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (old != value)
        {
            throw FerryException.Invalid(
                $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}' for run ID='{runId}'. " +
                $"Attempted logging new value '{value}'.");
        }
    }

    private static Task UpsertTagAsync(DbConnection connection, DbTransaction transaction, string runId, string key, string value, CancellationToken cancellationToken) =>
        ExecuteAsync(Db.Command(connection, transaction,
            "INSERT INTO run_tags (run_id, key, value) VALUES (@run, @k, @v) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")
            .With("@run", runId).With("@k", key).With("@v", value), cancellationToken);

    /// <summary>
    /// Appends to the series and keeps <c>latest_metrics</c> on the point with the highest (step, timestamp), as
    /// MLflow does, so a filter or sort on a metric reads one row per run instead of the whole series.
    /// </summary>
    private static async Task LogMetricAsync(DbConnection connection, DbTransaction transaction, string runId, MetricPoint metric, CancellationToken cancellationToken)
    {
        var (value, isNaN) = MetricNaNSchema.Store(metric.Value);
        await ExecuteAsync(Db.Command(connection, transaction,
            "INSERT INTO run_metrics (run_id, key, step, ts, value, is_nan) VALUES (@run, @k, @step, @ts, @v, @nan)")
            .With("@run", runId).With("@k", metric.Key).With("@step", metric.Step).With("@ts", metric.Timestamp).With("@v", value).With("@nan", isNaN),
            cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(Db.Command(connection, transaction,
            "INSERT INTO latest_metrics (run_id, key, step, ts, value, is_nan) VALUES (@run, @k, @step, @ts, @v, @nan) " +
            "ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, ts = excluded.ts, value = excluded.value, is_nan = excluded.is_nan " +
            "WHERE (excluded.step, excluded.ts) >= (latest_metrics.step, latest_metrics.ts)")
            .With("@run", runId).With("@k", metric.Key).With("@step", metric.Step).With("@ts", metric.Timestamp).With("@v", value).With("@nan", isNaN),
            cancellationToken).ConfigureAwait(false);
    }
}
