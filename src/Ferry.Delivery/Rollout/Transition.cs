using Ferry.Delivery.Model;

namespace Ferry.Delivery.Rollout;

/// <summary>A new state and the history lines that explain it; written together or not at all.</summary>
public sealed record Transition(DeploymentState State, IReadOnlyList<PlannedEvent> Events)
{
    public bool Changed => Events.Count > 0;
}
