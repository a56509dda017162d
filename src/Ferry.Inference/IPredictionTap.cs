using Ferry.Inference.Tensors;

namespace Ferry.Inference;

/// <summary>
/// Sees every request the engine answers (or fails), for the prediction log. It runs on the request's thread, so it
/// must copy what it keeps and never block: the tensors are owned by the caller and are disposed after the call.
/// </summary>
public interface IPredictionTap
{
    /// <summary>Whether <paramref name="model"/>'s next request is captured; asked first so unsampled requests cost nothing.</summary>
    bool Wants(string model);

    void Observe(PredictionEvent prediction);
}

/// <summary>A tap that captures nothing: the default when monitoring is not configured.</summary>
public sealed class NullPredictionTap : IPredictionTap
{
    public static NullPredictionTap Instance { get; } = new();

    public bool Wants(string model) => false;

    public void Observe(PredictionEvent prediction)
    {
    }
}
