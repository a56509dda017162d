namespace Ferry.Delivery.Live;

/// <summary>
/// The live measurements of one version in one deployment: the current analysis window, swapped out whole when
/// the analysis closes it, the totals since the rollout began (for A/B reports and status) and, since the rollout
/// began, the latest predictions that carried a request id (for joining labels).
/// </summary>
public sealed class VariantStats
{
    private LiveWindow _window;

    public VariantStats(DateTimeOffset now)
    {
        _window = new LiveWindow(now);
        Total = new LiveWindow(now);
    }

    public LiveWindow Window => Volatile.Read(ref _window);

    public LiveWindow Total { get; private set; }

    /// <summary>Predictions of this rollout that a label can be joined to (they carried a request id).</summary>
    public LabelledPredictions Labelled { get; private set; } = new();

    /// <summary>
    /// Called once per request that was routed here; never throws, never blocks. <paramref name="requestId"/> is the
    /// protocol's request id when the client sent one: only then can a label find the prediction.
    /// </summary>
    public void Record(TimeSpan latency, bool failed, double prediction, string? requestId = null)
    {
        Volatile.Read(ref _window).Record(latency, failed, prediction);
        Total.Record(latency, failed, prediction);
        if (!failed && requestId is not null && !double.IsNaN(prediction))
        {
            Labelled.Add(requestId, prediction);
        }
    }

    /// <summary>Closes the current window and opens a new one; returns the closed one.</summary>
    public LiveWindow CloseWindow(DateTimeOffset now) => Interlocked.Exchange(ref _window, new LiveWindow(now));

    /// <summary>Starts over: a new rollout measures from zero.</summary>
    public void Reset(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _window, new LiveWindow(now));
        Total = new LiveWindow(now);
        Labelled = new LabelledPredictions();
    }
}
