using Ferry.Batch.Models;

namespace Ferry.Batch;

/// <summary>
/// Hooks around a run. This is the seam for lineage: when the tracking component is merged, an implementation
/// records the job as a run (input digests, model version, output, counts) in <see cref="StartedAsync"/> and
/// <see cref="CompletedAsync"/>. Until then the runner uses <see cref="None"/>.
/// </summary>
public interface IBatchRunObserver
{
    public static IBatchRunObserver None { get; } = new NoObserver();

    Task StartedAsync(BatchJobSpec spec, ResolvedModel model, CancellationToken cancellationToken);

    /// <summary>A part is durably written and listed; <paramref name="committed"/> parts are listed so far.</summary>
    void PartCommitted(int committed);

    Task CompletedAsync(BatchSummary summary, CancellationToken cancellationToken);

    private sealed class NoObserver : IBatchRunObserver
    {
        public Task StartedAsync(BatchJobSpec spec, ResolvedModel model, CancellationToken cancellationToken) => Task.CompletedTask;

        public void PartCommitted(int committed)
        {
        }

        public Task CompletedAsync(BatchSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
