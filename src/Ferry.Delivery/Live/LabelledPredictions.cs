namespace Ferry.Delivery.Live;

/// <summary>
/// The latest <see cref="Capacity"/> predictions of one version that came with a protocol request id, kept so that
/// ground-truth labels posted later (by request id) can be joined to them: the realised accuracy and error of a
/// canary. A ring written lock-free by requests (two stores per request); read by the analysis.
/// </summary>
/// <remarks>
/// A writer that laps a reader mid-copy can pair one request's id with the next lap's prediction in that slot; with
/// 4,096 slots that needs 4,096 requests during one copy and touches one sample, which the check can bear.
/// </remarks>
public sealed class LabelledPredictions
{
    public const int Capacity = 4096;

    private readonly string?[] _ids = new string?[Capacity];
    private readonly double[] _predictions = new double[Capacity];
    private long _count;

    public void Add(string requestId, double prediction)
    {
        var slot = (int)((Interlocked.Increment(ref _count) - 1) % Capacity);
        _predictions[slot] = prediction;
        Volatile.Write(ref _ids[slot], requestId);
    }

    /// <summary>The (request id, prediction) pairs kept, oldest first when the ring has not wrapped.</summary>
    public List<(string RequestId, double Prediction)> Snapshot()
    {
        var count = (int)Math.Min(Volatile.Read(ref _count), Capacity);
        var pairs = new List<(string, double)>(count);
        for (var i = 0; i < count; i++)
        {
            if (Volatile.Read(ref _ids[i]) is { } id)
            {
                pairs.Add((id, _predictions[i]));
            }
        }

        return pairs;
    }
}
