namespace Ferry.Delivery.Rollout;

/// <summary>A history line the planner wants written with its state change; <see cref="Detail"/> is serialised as the evidence.</summary>
public sealed record PlannedEvent(string Kind, string Message, object? Detail = null);
