namespace Ferry.Batch;

/// <summary>
/// The lineage seam: told when a run starts, it hands back the <see cref="IBatchRunRecord"/> that follows that run
/// to its end. The tracking component records the job as a run this way; <see cref="None"/> records nothing.
/// </summary>
/// <remarks>
/// One observer serves every job of a runner (the server runs several), so per-job state lives in the record it
/// returns, not in the observer. Errors before <see cref="StartedAsync"/> (unknown model, missing input, a checkpoint
/// of another job) start no run, so a refused job leaves nothing behind.
/// </remarks>
public interface IBatchRunObserver
{
    public static IBatchRunObserver None { get; } = new NoObserver();

    /// <summary>Called once the model is resolved and the checkpoint is read, before the first chunk is scored.</summary>
    Task<IBatchRunRecord> StartedAsync(BatchRunStart start, CancellationToken cancellationToken);

    private sealed class NoObserver : IBatchRunObserver, IBatchRunRecord
    {
        public string? RunId => null;

        public Task<IBatchRunRecord> StartedAsync(BatchRunStart start, CancellationToken cancellationToken) => Task.FromResult<IBatchRunRecord>(this);

        public void PartCommitted(int committed)
        {
        }

        public Task<BatchSummary> CompletedAsync(BatchSummary summary, CancellationToken cancellationToken) => Task.FromResult(summary);

        public Task FailedAsync(Exception error, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task KilledAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
