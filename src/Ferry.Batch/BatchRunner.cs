using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Ferry.Batch.Checkpoint;
using Ferry.Batch.Io;
using Ferry.Batch.Models;
using Ferry.Batch.Scoring;
using Ferry.Inference;
using Ferry.Inference.Models;

namespace Ferry.Batch;

/// <summary>
/// Runs one batch job: reads the input in chunks, scores each chunk as one batch, writes each as a durable part
/// recorded in the checkpoint, and assembles the parts into the output at the end.
/// </summary>
/// <remarks>
/// Memory is bounded by <see cref="BatchJobSpec.Parallelism"/> + 1 chunks in flight (the reader runs one ahead),
/// whatever the size of the input. ONNX Runtime uses <see cref="BatchJobSpec.IntraOpThreads"/> threads inside each
/// run, which is where the cores go for tree ensembles; a second chunk in flight overlaps reading and writing
/// with scoring. Lineage (the job recorded as a run) goes through <see cref="IBatchRunObserver"/>; the run id is kept in
/// the checkpoint, so a resumed job continues its run.
/// </remarks>
public sealed class BatchRunner
{
    private readonly IModelResolver _resolver;
    private readonly IBatchRunObserver _observer;

    public BatchRunner(IModelResolver resolver, IBatchRunObserver? observer = null)
    {
        _resolver = resolver;
        _observer = observer ?? IBatchRunObserver.None;
    }

    /// <exception cref="BatchUsageException">Bad options, missing input, or a checkpoint of different input/model.</exception>
    /// <exception cref="BadRowException">Under <see cref="ErrorPolicy.Fail"/>, the first bad row.</exception>
    public async Task<BatchSummary> RunAsync(BatchJobSpec spec, IProgress<BatchProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        spec.Validate();

        var format = spec.ResolveFormat();
        var files = InputFile.List(spec.Input);
        var model = await _resolver.ResolveAsync(ModelReference.Parse(spec.Model), cancellationToken).ConfigureAwait(false);
        var output = spec.ShardOutputPath();
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var store = new CheckpointStore(output);
        var fingerprint = await Fingerprint.ComputeAsync(files, model, spec, format, cancellationToken).ConfigureAwait(false);
        var manifest = Resume(store, fingerprint, spec.Restart);
        if (manifest.State == CheckpointManifest.Complete && File.Exists(output))
        {
            return Summarize(spec, model, output, manifest.Parts, manifest.Parts.Count, started, 0) with { RunId = manifest.RunId };
        }

        // Whatever output is there is not this run's: remove it so nothing stale looks complete.
        File.Delete(output);
        Directory.CreateDirectory(store.PartsDirectory);
        var config = ModelConfig.Load(model.ModelDirectory);
        var options = new InferenceOptions { IntraOpThreads = spec.IntraOpThreads, InterOpThreads = 1 };
        var version = await Task.Run(() => ModelVersion.Load(model.Name, model.Version, model.Path, config, options, NullInferenceObserver.Instance), cancellationToken).ConfigureAwait(false);
        try
        {
            var plan = ScoringPlan.Create(version.Signature, spec);
            var chunkRows = config.MaxBatchSize > 0 ? Math.Min(spec.ChunkRows, config.MaxBatchSize) : spec.ChunkRows;
            var start = new BatchRunStart
            {
                Spec = spec, Model = model, Files = files, Output = output, Format = format, ResumedRunId = manifest.RunId, PartsResumed = manifest.Parts.Count,
            };
            var run = await _observer.StartedAsync(start, cancellationToken).ConfigureAwait(false);
            var job = new JobState(store, manifest with { State = CheckpointManifest.Running, Error = null, RunId = run.RunId ?? manifest.RunId }, format, progress, started);
            BatchSummary summary;
            try
            {
                await store.SaveAsync(job.Manifest, cancellationToken).ConfigureAwait(false);
                job.RowsTotal = await CountRowsAsync(files, spec.Shard, manifest, cancellationToken).ConfigureAwait(false);
                var writer = IPartWriter.For(format);
                await RunPipelineAsync(spec, files, plan, new ChunkScorer(version, plan, spec.OnError), writer, job, run, chunkRows, cancellationToken).ConfigureAwait(false);
                await AssembleAsync(store, writer, job, cancellationToken).ConfigureAwait(false);
                summary = Summarize(spec, model, output, job.Manifest.Parts, manifest.Parts.Count, started, job.RowsDone) with { RunId = job.Manifest.RunId };
            }
            catch (OperationCanceledException)
            {
                // A cancelled run stays "running" in the checkpoint so that a rerun continues it, and the same run.
                await run.KilledAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            catch (Exception e)
            {
                // Anything else is recorded as failed, in the checkpoint and in the run.
                await store.SaveAsync(job.Manifest with { State = CheckpointManifest.Failed, Error = e.Message }, CancellationToken.None).ConfigureAwait(false);
                await run.FailedAsync(e, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            return await run.CompletedAsync(summary, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            version.Retire();
        }
    }

    private static CheckpointManifest Resume(CheckpointStore store, string fingerprint, bool restart)
    {
        var existing = store.Load();
        if (existing is not null && existing.Fingerprint != fingerprint)
        {
            if (!restart)
            {
                throw new BatchUsageException($"{store.ManifestPath} was made with different {Fingerprint.Describe(existing.Fingerprint, fingerprint)}; rerun with --restart to start over");
            }

            existing = null;
        }

        if (existing is null)
        {
            store.Clear();
            return new CheckpointManifest { State = CheckpointManifest.Running, Fingerprint = fingerprint, Parts = [] };
        }

        // A part listed in the manifest was renamed into place before it was listed, so it exists; check anyway.
        var present = existing.Parts.Where(p => File.Exists(store.PartPath(p.Name))).ToArray();
        return existing.State == CheckpointManifest.Complete ? existing : existing with { Parts = present };
    }

    private static async Task<long?> CountRowsAsync(IReadOnlyList<InputFile> files, ShardSpec shard, CheckpointManifest manifest, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var file in files)
        {
            if (await file.CountRowsAsync(shard, cancellationToken).ConfigureAwait(false) is not { } rows)
            {
                return null;
            }

            total += rows;
        }

        return total - manifest.Parts.Sum(p => p.RowsIn);
    }

    private static async Task RunPipelineAsync(BatchJobSpec spec, IReadOnlyList<InputFile> files, ScoringPlan plan, ChunkScorer scorer, IPartWriter writer, JobState job, IBatchRunRecord run, int chunkRows, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = Channel.CreateBounded<DataChunk>(new BoundedChannelOptions(1) { SingleWriter = true });
        var done = job.Manifest.Parts.Select(p => (p.File, p.Chunk)).ToHashSet();
        var reader = Task.Run(async () =>
        {
            try
            {
                foreach (var file in files)
                {
                    await using var input = await file.OpenAsync(plan.ColumnsToRead, chunkRows, failed.Token).ConfigureAwait(false);
                    for (var index = 0; ; index++)
                    {
                        var wanted = spec.Shard.Owns(file.Index, index) && !done.Contains((file.Index, index));
                        var chunk = await input.ReadAsync(wanted, failed.Token).ConfigureAwait(false);
                        if (chunk is null)
                        {
                            break;
                        }

                        if (wanted)
                        {
                            await chunks.Writer.WriteAsync(chunk, failed.Token).ConfigureAwait(false);
                        }
                    }
                }

                chunks.Writer.Complete();
            }
            catch (Exception e)
            {
                chunks.Writer.Complete(e);
                throw;
            }
        }, failed.Token);

        var workers = Enumerable.Range(0, spec.Parallelism).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in chunks.Reader.ReadAllAsync(failed.Token).ConfigureAwait(false))
                {
                    var scored = await scorer.ScoreAsync(chunk, failed.Token).ConfigureAwait(false);
                    await job.CommitAsync(scored, writer, failed.Token).ConfigureAwait(false);
                    run.PartCommitted(job.Manifest.Parts.Count);
                }
            }
            catch
            {
                // One failure stops the others: the first error is the one reported.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, failed.Token)).ToList();
        workers.Add(reader);
        await WhenAllFirstErrorAsync(workers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for every task and rethrows the root failure, not the cancellations it caused in the others.</summary>
    private static async Task WhenAllFirstErrorAsync(List<Task> tasks, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            var root = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException and not ChannelClosedException);
            if (root is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(root);
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
    }

    private static async Task AssembleAsync(CheckpointStore store, IPartWriter writer, JobState job, CancellationToken cancellationToken)
    {
        var parts = job.Manifest.Parts.OrderBy(p => p.File).ThenBy(p => p.Chunk).Select(p => store.PartPath(p.Name)).ToArray();
        await CheckpointStore.WriteDurablyAsync(store.Output, (stream, ct) => writer.AssembleAsync(parts, stream, ct), cancellationToken).ConfigureAwait(false);
        await store.SaveAsync(job.Manifest with { State = CheckpointManifest.Complete }, cancellationToken).ConfigureAwait(false);
        Directory.Delete(store.PartsDirectory, recursive: true);
    }

    private static BatchSummary Summarize(BatchJobSpec spec, ResolvedModel model, string output, IReadOnlyList<PartRecord> parts, int resumed, long started, long rowsDone)
    {
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new BatchSummary
        {
            Model = model.Name,
            ModelVersion = model.Version,
            Output = output,
            RowsIn = parts.Sum(p => p.RowsIn),
            RowsOut = parts.Sum(p => p.RowsOut),
            Skipped = parts.Sum(p => p.Skipped),
            Nulled = parts.Sum(p => p.Nulled),
            Parts = parts.Count,
            PartsResumed = resumed,
            Seconds = Math.Round(seconds, 3),
            RowsPerSecond = Math.Round(seconds > 0 ? rowsDone / seconds : 0, 1),
        };
    }

    internal static string PartName(int file, int chunk, OutputFormat format) =>
        string.Create(CultureInfo.InvariantCulture, $"part-{file:D5}-{chunk:D6}{FileFormats.Extension(format)}");
}
