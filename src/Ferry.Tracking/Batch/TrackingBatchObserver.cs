using System.Globalization;
using Ferry.Batch;
using Ferry.Batch.Io;
using Ferry.Storage;
using Ferry.Storage.Tracking;
using Ferry.Tracking.Datasets;
using Ferry.Tracking.Lineage;
using Ferry.Tracking.Runs;

namespace Ferry.Tracking.Batch;

/// <summary>
/// Records every batch job as a tracking run: params (model, version, paths, format, shard, on-error), the input
/// linked as a dataset version (context <c>batch-input</c>), the model version as tags lineage searches, and at the end
/// row counts, duration and the output digest; with <see cref="BatchJobSpec.RegisterOutput"/>, the output as a
/// dataset version (context <c>batch-output</c>). A resumed job continues the run its checkpoint names.
/// </summary>
public sealed class TrackingBatchObserver(IMetadataStore store, TimeProvider time) : IBatchRunObserver
{
    private readonly TrackingService _tracking = new(store, time);
    private readonly DatasetService _datasets = new(store, time);
    private readonly TimeProvider _time = time;

    public async Task<IBatchRunRecord> StartedAsync(BatchRunStart start, CancellationToken cancellationToken)
    {
        if (start.ResumedRunId is { } resumed
            && await store.Tracking.GetRunAsync(resumed, cancellationToken).ConfigureAwait(false) is { LifecycleStage: LifecycleStages.Active })
        {
            await _tracking.UpdateRunAsync(resumed, RunStatuses.Running, null, null, cancellationToken).ConfigureAwait(false);
            return new Record(this, resumed, start);
        }

        var spec = start.Spec;
        var model = start.Model;
        // The slow part (digesting the input) comes before the run exists, so a job cancelled meanwhile leaves no run behind.
        var (inputDigest, inputSize) = await DatasetManifest.DigestAsync(start.Files, cancellationToken).ConfigureAwait(false);
        var input = await InputDatasetAsync(spec, start.Files, inputDigest, inputSize, cancellationToken).ConfigureAwait(false);
        var experiment = await ExperimentAsync(spec.Experiment, cancellationToken).ConfigureAwait(false);
        var tags = new List<KeyValuePair<string, string>>
        {
            new("mlflow.source.type", "JOB"),
            new("mlflow.source.name", "ferry batch"),
            new(LineageTags.InputDigest, inputDigest),
        };
        if (model.Registered)
        {
            tags.Add(new(LineageTags.ModelName, model.Name));
            tags.Add(new(LineageTags.ModelVersion, model.Version.ToString(CultureInfo.InvariantCulture)));
            if (model.Alias is { } alias)
            {
                tags.Add(new(LineageTags.ModelAlias, alias));
            }
        }

        var name = FormattableString.Invariant($"batch {model.Name}:{model.Version} -> {Path.GetFileName(start.Output)}");
        var run = await _tracking.CreateRunAsync(experiment.ToString(CultureInfo.InvariantCulture), Environment.UserName, name, null, tags, cancellationToken)
            .ConfigureAwait(false);
        await _tracking.LogBatchAsync(run.RunId, new RunBatch
        {
            Params =
            [
                new("model", model.Name),
                new("model_version", model.Version.ToString(CultureInfo.InvariantCulture)),
                new("model_ref", spec.Model),
                new("model_source", model.Registered ? "registry" : "repository"),
                new("input", Path.GetFullPath(spec.Input)),
                new("output", start.Output),
                new("format", start.Format.ToString().ToLowerInvariant()),
                new("shard", spec.Shard.ToString()),
                new("on_error", spec.OnError.ToString().ToLowerInvariant()),
                new("chunk_rows", spec.ChunkRows.ToString(CultureInfo.InvariantCulture)),
            ],
        }, cancellationToken).ConfigureAwait(false);

        await _tracking.LogInputsAsync(run.RunId, [new NewDatasetInput(input, LineageTags.InputContext)], cancellationToken).ConfigureAwait(false);
        return new Record(this, run.RunId, start);
    }

    /// <summary>The experiment's id, creating it when missing (another job may create it at the same moment).</summary>
    private async Task<long> ExperimentAsync(string name, CancellationToken cancellationToken)
    {
        if (await store.Tracking.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing.Id;
        }

        try
        {
            return (await _tracking.CreateExperimentAsync(name, null, [], cancellationToken).ConfigureAwait(false)).Id;
        }
        catch (FerryException e) when (e.Code == ErrorCode.AlreadyExists)
        {
            return (await _tracking.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)).Id;
        }
    }

    /// <summary>
    /// The registered version of the input with that content, or a new version that carries only the digest, size and
    /// source, as a version logged by an MLflow client does.
    /// </summary>
    /// <remarks>
    /// Profiling is left to <c>ferry datasets register</c>: it reads every row again and, on flights-3m (3 million rows),
    /// takes longer than scoring them (19 s and 260 MB), so a job would pay it before its first row. Registering the
    /// input first gives the run the profiled version.
    /// </remarks>
    private async Task<DatasetVersionRecord> InputDatasetAsync(BatchJobSpec spec, IReadOnlyList<InputFile> files, string digest, long size, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(spec.Input).TrimEnd(Path.DirectorySeparatorChar);
        var name = spec.InputDataset ?? (files.Count == 1 && File.Exists(full) ? Path.GetFileNameWithoutExtension(full) : Path.GetFileName(full));
        return await store.Tracking.FindDatasetVersionAsync(name, digest, cancellationToken).ConfigureAwait(false)
            ?? new DatasetVersionRecord
            {
                Id = "", Name = name, Version = 0, Digest = digest, SourceType = "local", Source = full, SizeBytes = size, CreatedAt = _time.GetUtcNow(),
            };
    }

    private sealed class Record(TrackingBatchObserver owner, string runId, BatchRunStart start) : IBatchRunRecord
    {
        public string? RunId => runId;

        public void PartCommitted(int committed)
        {
        }

        public async Task<BatchSummary> CompletedAsync(BatchSummary summary, CancellationToken cancellationToken)
        {
            var output = new InputFile(0, start.Output, Path.GetFileName(start.Output), start.Format, new FileInfo(start.Output).Length);
            var (digest, _) = await DatasetManifest.DigestAsync([output], cancellationToken).ConfigureAwait(false);
            string? registered = null;
            if (start.Spec.RegisterOutput is { } name)
            {
                var (version, _) = await owner._datasets.RegisterAsync(start.Output, name, cancellationToken).ConfigureAwait(false);
                await owner._tracking.LogInputsAsync(runId, [new NewDatasetInput(version, LineageTags.OutputContext)], cancellationToken).ConfigureAwait(false);
                registered = FormattableString.Invariant($"{version.Name}:{version.Version}");
            }

            var now = owner._time.GetUtcNow().ToUnixTimeMilliseconds();
            await owner._tracking.LogBatchAsync(runId, new RunBatch
            {
                Metrics =
                [
                    new MetricPoint("rows_in", summary.RowsIn, now, 0),
                    new MetricPoint("rows_out", summary.RowsOut, now, 0),
                    new MetricPoint("rows_skipped", summary.Skipped, now, 0),
                    new MetricPoint("rows_nulled", summary.Nulled, now, 0),
                    new MetricPoint("rows_failed", summary.Skipped + summary.Nulled, now, 0),
                    new MetricPoint("parts", summary.Parts, now, 0),
                    new MetricPoint("parts_resumed", summary.PartsResumed, now, 0),
                    new MetricPoint("duration_seconds", summary.Seconds, now, 0),
                    new MetricPoint("rows_per_second", summary.RowsPerSecond, now, 0),
                ],
                Tags = [new(LineageTags.OutputDigest, digest)],
            }, cancellationToken).ConfigureAwait(false);
            await owner._tracking.UpdateRunAsync(runId, RunStatuses.Finished, now, null, cancellationToken).ConfigureAwait(false);
            return summary with { RunId = runId, OutputDataset = registered };
        }

        public async Task FailedAsync(Exception error, CancellationToken cancellationToken)
        {
            var message = error.Message.Length > 1000 ? error.Message[..1000] : error.Message;
            await owner._tracking.LogBatchAsync(runId, new RunBatch { Tags = [new(LineageTags.Error, message)] }, cancellationToken).ConfigureAwait(false);
            await owner._tracking.UpdateRunAsync(runId, RunStatuses.Failed, owner._time.GetUtcNow().ToUnixTimeMilliseconds(), null, cancellationToken).ConfigureAwait(false);
        }

        public Task KilledAsync(CancellationToken cancellationToken) =>
            owner._tracking.UpdateRunAsync(runId, RunStatuses.Killed, owner._time.GetUtcNow().ToUnixTimeMilliseconds(), null, cancellationToken);
    }
}
