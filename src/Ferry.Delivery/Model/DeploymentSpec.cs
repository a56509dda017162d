namespace Ferry.Delivery.Model;

/// <summary>What the user asked for: the strategy and its settings. Immutable once created, except through the API.</summary>
public sealed record DeploymentSpec
{
    public required DeliveryStrategy Strategy { get; init; }

    /// <summary>Canary steps, run in order; the last one done promotes.</summary>
    public IReadOnlyList<CanaryStep> Steps { get; init; } = [];

    /// <summary>Analysis while a canary runs; none: steps run on their timers alone.</summary>
    public AnalysisSpec? Analysis { get; init; }

    /// <summary>Shadow: the share of requests copied to the candidate, in percent; 100 by default.</summary>
    public double ShadowPercent { get; init; } = 100;

    /// <summary>Shadow: how long a copy may run on the candidate before it counts as timed out; 1 second by default.</summary>
    public TimeSpan ShadowTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A/B: the candidate's (variant B's) share in percent; 50 by default.</summary>
    public double CandidateWeight { get; init; } = 50;

    /// <summary>
    /// The gate a candidate must pass before it enters (on create with a candidate, and on every new candidate), with
    /// the stable version's signature as the contract; null lets any registered version in.
    /// </summary>
    public Gates.GatePolicy? Gates { get; init; }
}
