namespace Ferry.Delivery;

/// <summary>
/// Progressive delivery: deployments that route a named endpoint's traffic between model versions, the rollout
/// controller with its analysis, and the gates a version passes before it may enter a deployment.
/// </summary>
internal static class DeliveryAssembly
{
}
