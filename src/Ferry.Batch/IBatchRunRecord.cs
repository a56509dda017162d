namespace Ferry.Batch;

/// <summary>One job as an observer records it, from <see cref="IBatchRunObserver.StartedAsync"/> to its end.</summary>
public interface IBatchRunRecord
{
    /// <summary>The id the runner keeps in the checkpoint so that a resumed job continues this run; null when untracked.</summary>
    string? RunId { get; }

    /// <summary>A part is durably written and listed; <paramref name="committed"/> parts are listed so far.</summary>
    void PartCommitted(int committed);

    /// <summary>The output is assembled and the checkpoint says complete; returns the summary with what was recorded.</summary>
    Task<BatchSummary> CompletedAsync(BatchSummary summary, CancellationToken cancellationToken);

    /// <summary>The job stopped on an error (a bad row under <c>--on-error fail</c>, an I/O failure).</summary>
    Task FailedAsync(Exception error, CancellationToken cancellationToken);

    /// <summary>The job was cancelled (Ctrl-C, the cancel endpoint); rerunning it continues the same run.</summary>
    Task KilledAsync(CancellationToken cancellationToken);
}
