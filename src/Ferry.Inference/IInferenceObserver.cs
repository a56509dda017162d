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

    /// <summary>A run has finished: how long its requests waited in the queue and how long the model computed.</summary>
    void Computed(string model, string version, TimeSpan queued, TimeSpan compute, int batchSize);
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

    public void Computed(string model, string version, TimeSpan queued, TimeSpan compute, int batchSize)
    {
    }
}
