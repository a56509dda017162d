namespace Ferry.Delivery.Model;

/// <summary>
/// One canary step, Argo Rollouts' shape: either <c>{"set_weight": 20}</c> (the candidate's share in percent) or
/// <c>{"pause": {"duration": "00:05:00"}}</c>; a pause without a duration waits until promoted.
/// </summary>
public sealed record CanaryStep
{
    public double? SetWeight { get; init; }

    public PauseStep? Pause { get; init; }
}

/// <summary>A pause in a canary; null <see cref="Duration"/> waits for a person to promote.</summary>
public sealed record PauseStep
{
    public TimeSpan? Duration { get; init; }
}
