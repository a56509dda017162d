namespace Ferry.Delivery.Model;

/// <summary>Where the rollout is: the versions, the phase and step, the weight and the analysis counters.</summary>
public sealed record DeploymentState
{
    public required long StableVersion { get; init; }

    public long? CandidateVersion { get; init; }

    /// <summary>The stable version before the last promotion: what a rollback returns to. Kept loaded so rollback is instant.</summary>
    public long? PreviousStableVersion { get; init; }

    public DeploymentPhase Phase { get; init; } = DeploymentPhase.Stable;

    /// <summary>The canary step running; equal to the step count once all are done.</summary>
    public int StepIndex { get; init; }

    public DateTimeOffset? StepStartedAt { get; init; }

    /// <summary>The candidate's share of traffic in percent.</summary>
    public double CandidateWeight { get; init; }

    /// <summary>Why the rollout is paused or aborted, for people.</summary>
    public string? Reason { get; init; }

    /// <summary>When the last analysis window closed; windows are measured from here.</summary>
    public DateTimeOffset? LastAnalysisAt { get; init; }

    /// <summary>
    /// A canary with realised checks (accuracy, mae) that have not yet had enough labelled predictions to decide: its
    /// last step does not promote until they have (a person may still promote).
    /// </summary>
    public bool AwaitingLabels { get; init; }

    /// <summary>The latest analysis' results, each check with its value and bounds; what <c>ferry deploy status</c> shows.</summary>
    public IReadOnlyList<Analysis.CheckResult>? LastAnalysis { get; init; }

    /// <summary>Failures counted per check (by display name) in this rollout.</summary>
    public IReadOnlyDictionary<string, int> Failures { get; init; } = new Dictionary<string, int>();
}
