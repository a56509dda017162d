using System.Data.Common;
using System.Runtime.CompilerServices;
using Ferry.Storage.Tracking;

namespace Ferry.Storage.Sql.Tracking;

internal sealed partial class SqlTrackingStore
{
    private const string RunColumns = "r.run_id, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.lifecycle_stage, r.artifact_uri";

    public async Task<RunRecord> CreateRunAsync(NewRun run, CancellationToken cancellationToken)
    {
        await WriteAsync(async (connection, transaction) =>
        {
            await using (var experiment = Db.Command(connection, transaction, "SELECT lifecycle_stage FROM experiments WHERE id = @id").With("@id", run.ExperimentId))
            {
                var stage = await experiment.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? throw ExperimentMissing(run.ExperimentId);
                if (stage != LifecycleStages.Active)
                {
                    throw FerryException.Invalid($"The experiment {run.ExperimentId} must be in the 'active' state. Current state is {stage}.");
                }
            }

            await ExecuteAsync(Db.Command(connection, transaction,
                "INSERT INTO runs (run_id, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri) " +
                "VALUES (@id, @exp, @name, @user, @status, @start, NULL, @stage, @uri)")
                .With("@id", run.RunId).With("@exp", run.ExperimentId).With("@name", run.Name).With("@user", run.UserId)
                .With("@status", RunStatuses.Running).With("@start", run.StartTime).With("@stage", LifecycleStages.Active)
                .With("@uri", run.ArtifactUri), cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in run.Tags)
            {
                await UpsertTagAsync(connection, transaction, run.RunId, key, value, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return (await GetRunAsync(run.RunId, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT {RunColumns} FROM runs r WHERE r.run_id = @id").With("@id", runId);
        var runs = await ReadRunsAsync(connection, command, cancellationToken).ConfigureAwait(false);
        return runs.SingleOrDefault();
    }

    public async Task<RunRecord> UpdateRunAsync(string runId, string? status, long? endTime, string? name, CancellationToken cancellationToken)
    {
        await WriteAsync(async (connection, transaction) =>
        {
            var changed = await ExecuteAsync(Db.Command(connection, transaction,
                "UPDATE runs SET status = COALESCE(@status, status), end_time = COALESCE(@end, end_time), name = COALESCE(@name, name) WHERE run_id = @id")
                .With("@status", status).With("@end", endTime).With("@name", name).With("@id", runId), cancellationToken).ConfigureAwait(false);
            if (changed == 0)
            {
                throw RunMissing(runId);
            }
        }, cancellationToken).ConfigureAwait(false);
        return (await GetRunAsync(runId, cancellationToken).ConfigureAwait(false))!;
    }

    public Task SetRunStageAsync(string runId, string stage, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var changed = await ExecuteAsync(Db.Command(connection, transaction, "UPDATE runs SET lifecycle_stage = @stage WHERE run_id = @id")
                .With("@stage", stage).With("@id", runId), cancellationToken).ConfigureAwait(false);
            if (changed == 0)
            {
                throw RunMissing(runId);
            }
        }, cancellationToken);

    public async IAsyncEnumerable<MetricPoint> ReadMetricHistoryAsync(string runId, string key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in ReadMetricHistoryBatchesAsync(runId, key, 1024, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                var sample = batch.Span[i];
                yield return new MetricPoint(key, sample.Value, sample.Timestamp, sample.Step);
            }
        }
    }

    public async IAsyncEnumerable<ReadOnlyMemory<MetricSample>> ReadMetricHistoryBatchesAsync(
        string runId, string key, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null,
            "SELECT value, ts, step, is_nan FROM run_metrics WHERE run_id = @id AND key = @key ORDER BY step, ts")
            .With("@id", runId).With("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MetricSample[batchSize];
        var count = 0;

        // ReadAsync completes synchronously while the driver has rows buffered (always, for SQLite), so the batch
        // costs one real wait per network read at most, and the consumer one await per batch instead of per row.
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            buffer[count++] = new MetricSample(MetricNaNSchema.Read(reader, 0, 3), reader.GetInt64(1), reader.GetInt64(2));
            if (count == buffer.Length)
            {
                yield return buffer;
                count = 0;
            }
        }

        if (count > 0)
        {
            yield return buffer.AsMemory(0, count);
        }
    }

    internal static FerryException RunMissing(string runId) => FerryException.NotFound($"Run with id={runId} not found");

    /// <summary>Reads the runs the command selects, then their metrics, params, tags and inputs.</summary>
    private async Task<List<RunRecord>> ReadRunsAsync(DbConnection connection, DbCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(new RunRecord
                {
                    RunId = reader.GetString(0), ExperimentId = reader.GetInt64(1), Name = reader.GetString(2), UserId = reader.GetString(3),
                    Status = reader.GetString(4), StartTime = reader.GetInt64(5), EndTime = reader.NullableInt64(6),
                    LifecycleStage = reader.GetString(7), ArtifactUri = reader.GetString(8),
                });
            }
        }

        if (runs.Count > 0)
        {
            await AddExtrasAsync(connection, runs, cancellationToken).ConfigureAwait(false);
        }

        return runs;
    }

    /// <summary>
    /// Fills in the runs' latest metrics, params, tags and inputs with one command of four statements for the whole page:
    /// a page of 100 runs binds its ids as one list parameter and costs one round trip, not four (or 400).
    /// </summary>
    private async Task AddExtrasAsync(DbConnection connection, List<RunRecord> runs, CancellationToken cancellationToken)
    {
        var index = new Dictionary<string, int>(runs.Count, StringComparer.Ordinal);
        var metrics = new List<MetricPoint>[runs.Count];
        var parameters = new Dictionary<string, string>[runs.Count];
        var tags = new Dictionary<string, string>[runs.Count];
        var inputs = new List<RunInput>[runs.Count];
        for (var i = 0; i < runs.Count; i++)
        {
            index[runs[i].RunId] = i;
            metrics[i] = [];
            parameters[i] = new Dictionary<string, string>(StringComparer.Ordinal);
            tags[i] = new Dictionary<string, string>(StringComparer.Ordinal);
            inputs[i] = [];
        }

        var dialect = store.Dialect;
        await using (var command = Db.Command(connection, null,
            $"SELECT run_id, key, value, ts, step, is_nan FROM latest_metrics WHERE {dialect.IsOneOf("run_id", "@ids")} ORDER BY run_id, key; " +
            $"SELECT run_id, key, value FROM run_params WHERE {dialect.IsOneOf("run_id", "@ids")} ORDER BY run_id, key; " +
            $"SELECT run_id, key, value FROM run_tags WHERE {dialect.IsOneOf("run_id", "@ids")} ORDER BY run_id, key; " +
            $"SELECT {DatasetColumns}, i.context, i.run_id FROM run_inputs i JOIN dataset_versions d ON d.id = i.dataset_id " +
            $"WHERE {dialect.IsOneOf("i.run_id", "@ids")} ORDER BY i.run_id, d.name, d.version"))
        {
            var ids = new string[runs.Count];
            for (var i = 0; i < runs.Count; i++)
            {
                ids[i] = runs[i].RunId;
            }

            dialect.BindList(command, "@ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                metrics[index[reader.GetString(0)]].Add(new MetricPoint(reader.GetString(1), MetricNaNSchema.Read(reader, 2, 5), reader.GetInt64(3), reader.GetInt64(4)));
            }

            await ReadPairsIntoAsync(reader, index, parameters, cancellationToken).ConfigureAwait(false);
            await ReadPairsIntoAsync(reader, index, tags, cancellationToken).ConfigureAwait(false);
            await NextResultAsync(reader, cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inputs[index[reader.GetString(DatasetColumnCount + 1)]].Add(new RunInput(ReadDataset(reader), reader.GetString(DatasetColumnCount)));
            }
        }

        for (var i = 0; i < runs.Count; i++)
        {
            runs[i] = runs[i] with { LatestMetrics = metrics[i], Params = parameters[i], Tags = tags[i], Inputs = inputs[i] };
        }
    }

    /// <summary>Moves to the next statement's rows and reads them as (run id, key, value).</summary>
    private static async Task ReadPairsIntoAsync(
        DbDataReader reader, Dictionary<string, int> index, Dictionary<string, string>[] into, CancellationToken cancellationToken)
    {
        await NextResultAsync(reader, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            into[index[reader.GetString(0)]][reader.GetString(1)] = reader.GetString(2);
        }
    }

    private static async Task NextResultAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The run extras command returned fewer result sets than it has statements.");
        }
    }
}
