namespace Ferry.Monitoring.Webhooks;

/// <summary>Counters of the sender since start; read with <see cref="Snapshot"/>.</summary>
public sealed class WebhookStats
{
    private long _enqueued;
    private long _dropped;
    private long _attempts;
    private long _delivered;
    private long _rejected;
    private long _gaveUp;

    public void Enqueued() => Interlocked.Increment(ref _enqueued);

    public void Dropped() => Interlocked.Increment(ref _dropped);

    public void Attempted() => Interlocked.Increment(ref _attempts);

    public void Finished(WebhookOutcome outcome)
    {
        switch (outcome)
        {
            case WebhookOutcome.Delivered:
                Interlocked.Increment(ref _delivered);
                break;
            case WebhookOutcome.Rejected:
                Interlocked.Increment(ref _rejected);
                break;
            case WebhookOutcome.GaveUp:
                Interlocked.Increment(ref _gaveUp);
                break;
        }
    }

    public WebhookCounts Snapshot() => new(
        Interlocked.Read(ref _enqueued), Interlocked.Read(ref _dropped), Interlocked.Read(ref _attempts),
        Interlocked.Read(ref _delivered), Interlocked.Read(ref _rejected), Interlocked.Read(ref _gaveUp));
}

/// <summary>Events queued and dropped (queue full); attempts made; deliveries that succeeded, were rejected (4xx) or gave up.</summary>
public sealed record WebhookCounts(long Enqueued, long Dropped, long Attempts, long Delivered, long Rejected, long GaveUp);
