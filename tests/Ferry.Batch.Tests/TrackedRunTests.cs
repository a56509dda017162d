using Ferry.Storage;
using Ferry.Storage.Tracking;
using Ferry.Tracking.Batch;
using Ferry.Tracking.Lineage;

namespace Ferry.Batch.Tests;

/// <summary>How a job's run ends: KILLED when cancelled, the same run FINISHED when resumed, FAILED on a bad row.</summary>
public sealed class TrackedRunTests : IAsyncLifetime
{
    private readonly Workspace _ws = new();
    private IMetadataStore _store = null!;

    public async Task InitializeAsync() => _store = await MetadataStores.OpenAsync(null, _ws.PathOf("home"), null, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task Run_CancelledThenResumed_IsKilledThenTheSameRunFinishes()
    {
        var input = _ws.PathOf("in.parquet");
        TestData.Write(input, TestData.Rows(1000), rowGroup: 100);
        var spec = new BatchJobSpec { Model = "adder", Input = input, Output = _ws.PathOf("out.parquet"), Parallelism = 1 };
        var crash = new Crash(new TrackingBatchObserver(_store, TimeProvider.System), parts: 3);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _ws.Runner(crash).RunAsync(spec, null, crash.Cancellation.Token));
        var killed = Assert.Single((await _store.Tracking.SearchRunsAsync(new RunQuery(), CancellationToken.None)).Items);
        var summary = await _ws.Runner(new TrackingBatchObserver(_store, TimeProvider.System)).RunAsync(spec, null, CancellationToken.None);
        var finished = Assert.Single((await _store.Tracking.SearchRunsAsync(new RunQuery(), CancellationToken.None)).Items);

        Assert.Equal(RunStatuses.Killed, killed.Status);
        Assert.Equal(killed.RunId, summary.RunId);
        Assert.Equal((killed.RunId, RunStatuses.Finished), (finished.RunId, finished.Status));
        Assert.Equal(1000, finished.LatestMetrics.Single(m => m.Key == "rows_in").Value);
        Assert.True(finished.LatestMetrics.Single(m => m.Key == "parts_resumed").Value >= 3);
        Assert.Single(finished.Inputs);
    }

    [Fact]
    public async Task Run_StoppedByABadRow_IsFailedWithTheRowInItsErrorTag()
    {
        var input = _ws.PathOf("bad.csv");
        await File.WriteAllTextAsync(input, "id,a,b\n1,1.5,2\n2,abc,3\n3,4,5\n");
        var spec = new BatchJobSpec { Model = "adder", Input = input, Output = _ws.PathOf("bad.out.csv"), RegisterOutput = "never" };

        await Assert.ThrowsAsync<BadRowException>(() => _ws.Runner(new TrackingBatchObserver(_store, TimeProvider.System)).RunAsync(spec, null, CancellationToken.None));

        var run = Assert.Single((await _store.Tracking.SearchRunsAsync(new RunQuery(), CancellationToken.None)).Items);
        Assert.Equal(RunStatuses.Failed, run.Status);
        Assert.Contains("row 2, column 'a'", run.Tags[LineageTags.Error], StringComparison.Ordinal);
        Assert.False(run.Tags.ContainsKey(LineageTags.OutputDigest));
        Assert.Null(await _store.Tracking.GetDatasetVersionAsync("never", 1, CancellationToken.None));
    }

    /// <summary>The tracking observer, with a crash after <c>K</c> parts.</summary>
    private sealed class Crash(IBatchRunObserver inner, int parts) : IBatchRunObserver
    {
        public CancellationTokenSource Cancellation { get; } = new();

        public int Parts => parts;

        public async Task<IBatchRunRecord> StartedAsync(BatchRunStart start, CancellationToken cancellationToken) =>
            new Record(await inner.StartedAsync(start, cancellationToken), this);

        private sealed class Record(IBatchRunRecord inner, Crash owner) : IBatchRunRecord
        {
            public string? RunId => inner.RunId;

            public void PartCommitted(int committed)
            {
                if (committed >= owner.Parts)
                {
                    owner.Cancellation.Cancel();
                }
            }

            public Task<BatchSummary> CompletedAsync(BatchSummary summary, CancellationToken cancellationToken) => inner.CompletedAsync(summary, cancellationToken);

            public Task FailedAsync(Exception error, CancellationToken cancellationToken) => inner.FailedAsync(error, cancellationToken);

            public Task KilledAsync(CancellationToken cancellationToken) => inner.KilledAsync(cancellationToken);
        }
    }
}
