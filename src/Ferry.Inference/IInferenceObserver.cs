namespace Ferry.Inference;

/// <summary>Receives timings from the engine; the server turns them into metrics. Calls must not block.</summary>
public interface IInferenceObserver
{
    void VersionLoaded(string model, long version, TimeSpan duration);

    void LoadFailed(string model, string reason);

    /// <summary>A request has been admitted for <paramref name="model"/> and waits or runs.</summary>
    void RequestStarted(string model);

    /// <summary>A request admitted by <see cref="RequestStarted"/> has left the engine, answered or not.</summary>
    void RequestEnded(string model);

    /// <summary>A request has left the queue for a run, after waiting <paramref name="queued"/>.</summary>
    void Queued(string model, string version, TimeSpan queued);

    /// <summary>A run of <paramref name="batchSize"/> rows has finished after computing for <paramref name="compute"/>.</summary>
    void Computed(string model, string version, TimeSpan compute, int batchSize);
}

/// <summary>An observer that records nothing.</summary>
public sealed class NullInferenceObserver : IInferenceObserver
{
    public static NullInferenceObserver Instance { get; } = new();

    public void VersionLoaded(string model, long version, TimeSpan duration)
    {
    }

    public void LoadFailed(string model, string reason)
    {
    }

    public void RequestStarted(string model)
    {
    }

    public void RequestEnded(string model)
    {
    }

    public void Queued(string model, string version, TimeSpan queued)
    {
    }

    public void Computed(string model, string version, TimeSpan compute, int batchSize)
    {
    }
}
