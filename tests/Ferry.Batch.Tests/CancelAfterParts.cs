namespace Ferry.Batch.Tests;

/// <summary>Simulates a crash: cancels the run once <c>K</c> parts are committed.</summary>
public sealed class CancelAfterParts : IBatchRunObserver
{
    private readonly int _parts;

    public CancelAfterParts(int parts)
    {
        _parts = parts;
    }

    public CancellationTokenSource Cancellation { get; } = new();

    public Task StartedAsync(BatchJobSpec spec, Models.ResolvedModel model, CancellationToken cancellationToken) => Task.CompletedTask;

    public void PartCommitted(int committed)
    {
        if (committed >= _parts)
        {
            Cancellation.Cancel();
        }
    }

    public Task CompletedAsync(BatchSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;
}
