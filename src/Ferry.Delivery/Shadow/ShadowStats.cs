using Ferry.Delivery.Live;

namespace Ferry.Delivery.Shadow;

/// <summary>
/// What a shadow deployment has learnt about its candidate: copies sent and dropped, answers compared, how often
/// the candidate disagreed with the stable answer and by how much, its failures and time-outs, and both latencies.
/// Request threads only count drops; the one shadow worker writes the rest under a lock.
/// </summary>
public sealed class ShadowStats
{
    private readonly Lock _lock = new();
    private long _enqueued;
    private long _dropped;
    private long _compared;
    private long _disagreements;
    private long _errors;
    private long _timeouts;
    private double _distanceSum;

    public LatencyHistogram StableLatency { get; } = new();

    public LatencyHistogram CandidateLatency { get; } = new();

    public long Enqueued => Volatile.Read(ref _enqueued);

    public long Dropped => Volatile.Read(ref _dropped);

    public void CountEnqueued() => Interlocked.Increment(ref _enqueued);

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void CountCompared(double distance, bool disagreed, TimeSpan stableLatency, TimeSpan candidateLatency)
    {
        lock (_lock)
        {
            _compared++;
            _distanceSum += distance;
            if (disagreed)
            {
                _disagreements++;
            }
        }

        StableLatency.Add(stableLatency);
        CandidateLatency.Add(candidateLatency);
    }

    public void CountError()
    {
        lock (_lock)
        {
            _errors++;
        }
    }

    public void CountTimeout()
    {
        lock (_lock)
        {
            _timeouts++;
        }
    }

    public ShadowReport Report()
    {
        lock (_lock)
        {
            return new ShadowReport
            {
                Enqueued = Enqueued,
                Dropped = Dropped,
                Compared = _compared,
                Errors = _errors,
                Timeouts = _timeouts,
                DisagreementRate = _compared == 0 ? 0 : (double)_disagreements / _compared,
                MeanDistance = _compared == 0 ? 0 : _distanceSum / _compared,
                StableP99Ms = StableLatency.PercentileMs(0.99),
                CandidateP99Ms = CandidateLatency.PercentileMs(0.99),
            };
        }
    }
}

/// <summary>A snapshot of <see cref="ShadowStats"/> for the status API and the history.</summary>
public sealed record ShadowReport
{
    public long Enqueued { get; init; }

    public long Dropped { get; init; }

    public long Compared { get; init; }

    public long Errors { get; init; }

    public long Timeouts { get; init; }

    /// <summary>Share of compared answers where any output element differed by more than 1e-6.</summary>
    public double DisagreementRate { get; init; }

    /// <summary>Mean over compared answers of the mean absolute difference of the first output's elements.</summary>
    public double MeanDistance { get; init; }

    public double StableP99Ms { get; init; }

    public double CandidateP99Ms { get; init; }
}
