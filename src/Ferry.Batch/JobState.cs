using System.Diagnostics;
using Ferry.Batch.Checkpoint;
using Ferry.Batch.Io;
using Ferry.Batch.Scoring;

namespace Ferry.Batch;

/// <summary>The live state of a run: the manifest as committed so far and the progress counters.</summary>
internal sealed class JobState
{
    private readonly CheckpointStore _store;
    private readonly OutputFormat _format;
    private readonly IProgress<BatchProgress>? _progress;
    private readonly long _started;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _rowsDone;

    public JobState(CheckpointStore store, CheckpointManifest manifest, OutputFormat format, IProgress<BatchProgress>? progress, long started)
    {
        _store = store;
        Manifest = manifest;
        _format = format;
        _progress = progress;
        _started = started;
    }

    public CheckpointManifest Manifest { get; private set; }

    public long? RowsTotal { get; set; }

    public long RowsDone => Interlocked.Read(ref _rowsDone);

    /// <summary>Writes the part durably, then lists it in the manifest: a listed part is always whole on disk.</summary>
    public async Task CommitAsync(ScoredChunk scored, IPartWriter writer, CancellationToken cancellationToken)
    {
        var chunk = scored.Source;
        var name = BatchRunner.PartName(chunk.FileIndex, chunk.ChunkIndex, _format);
        await CheckpointStore.WriteDurablyAsync(_store.PartPath(name), (stream, ct) => writer.WritePartAsync(scored, stream, ct), cancellationToken).ConfigureAwait(false);
        var record = new PartRecord
        {
            File = chunk.FileIndex,
            Chunk = chunk.ChunkIndex,
            Name = name,
            RowsIn = chunk.RowCount,
            RowsOut = scored.RowsOut,
            Skipped = scored.Skipped,
            Nulled = scored.Nulled,
        };
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Manifest = Manifest with { Parts = [.. Manifest.Parts, record] };
            await _store.SaveAsync(Manifest, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        var done = Interlocked.Add(ref _rowsDone, chunk.RowCount);
        var elapsed = Stopwatch.GetElapsedTime(_started);
        _progress?.Report(new BatchProgress { RowsDone = done, RowsTotal = RowsTotal, Elapsed = elapsed, RowsPerSecond = done / Math.Max(elapsed.TotalSeconds, 1e-6) });
    }
}
