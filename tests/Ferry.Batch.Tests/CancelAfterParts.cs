namespace Ferry.Batch.Tests;

/// <summary>Simulates a crash: cancels the run once <c>K</c> parts are committed.</summary>
public sealed class CancelAfterParts : IBatchRunObserver, IBatchRunRecord
{
    private readonly int _parts;

    public CancelAfterParts(int parts)
    {
        _parts = parts;
    }

    public CancellationTokenSource Cancellation { get; } = new();

    public string? RunId => null;

    public Task<IBatchRunRecord> StartedAsync(BatchRunStart start, CancellationToken cancellationToken) => Task.FromResult<IBatchRunRecord>(this);

    public void PartCommitted(int committed)
    {
        if (committed >= _parts)
        {
            Cancellation.Cancel();
        }
    }

    public Task<BatchSummary> CompletedAsync(BatchSummary summary, CancellationToken cancellationToken) => Task.FromResult(summary);

    public Task FailedAsync(Exception error, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task KilledAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
