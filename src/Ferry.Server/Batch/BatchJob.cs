using Ferry.Batch;

namespace Ferry.Server.Batch;

/// <summary>A submitted job and what is known of it; read by the status endpoint while a worker updates it.</summary>
public sealed class BatchJob
{
    public BatchJob(string id, BatchJobSpec spec)
    {
        Id = id;
        Spec = spec;
    }

    public string Id { get; }

    public BatchJobSpec Spec { get; }

    /// <summary>Cancelled by the cancel endpoint or when the server stops; owned by the job service.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public volatile string State = BatchJobStates.Queued;

    public long RowsDone;

    public long? RowsTotal { get; set; }

    public string? Error { get; set; }

    public BatchSummary? Summary { get; set; }
}
