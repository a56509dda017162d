namespace Ferry.Delivery.Rollout;

/// <summary>A call that the deployment's current phase does not allow (promote with no candidate, resume when not paused): HTTP 409.</summary>
public sealed class DeploymentConflictException(string message) : Exception(message);
