namespace Ferry.Delivery.Live;

/// <summary>
/// One variant's measurements over one analysis window: request and error counts, a latency histogram and the
/// latest <see cref="SampleCapacity"/> predictions in a ring. Written lock-free by requests, read by the analysis.
/// </summary>
public sealed class LiveWindow
{
    /// <summary>Predictions kept per window for the drift test; enough for a KS test to see a shift of a few percent.</summary>
    public const int SampleCapacity = 4096;

    private readonly double[] _predictions = new double[SampleCapacity];
    private long _requests;
    private long _errors;
    private long _predictionCount;

    public LiveWindow(DateTimeOffset openedAt)
    {
        OpenedAt = openedAt;
    }

    public DateTimeOffset OpenedAt { get; }

    public LatencyHistogram Latency { get; } = new();

    public long Requests => Volatile.Read(ref _requests);

    public long Errors => Volatile.Read(ref _errors);

    public void Record(TimeSpan latency, bool failed, double prediction)
    {
        Interlocked.Increment(ref _requests);
        if (failed)
        {
            Interlocked.Increment(ref _errors);
            return;
        }

        Latency.Add(latency);
        if (!double.IsNaN(prediction))
        {
            var slot = Interlocked.Increment(ref _predictionCount) - 1;
            _predictions[slot % SampleCapacity] = prediction;
        }
    }

    /// <summary>A copy of the predictions kept (the latest ones when more came than fit).</summary>
    public double[] Predictions()
    {
        var count = (int)Math.Min(Volatile.Read(ref _predictionCount), SampleCapacity);
        return _predictions.AsSpan(0, count).ToArray();
    }
}
