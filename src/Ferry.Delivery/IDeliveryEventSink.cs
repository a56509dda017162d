using Ferry.Delivery.Model;
using Ferry.Storage.Delivery;

namespace Ferry.Delivery;

/// <summary>
/// Told of every transition after it is stored (promoted, aborted, analysis...), for notifications such as
/// webhooks. Called off the request path; a sink that fails is logged and does not undo the transition.
/// </summary>
public interface IDeliveryEventSink
{
    Task OnTransitionAsync(Deployment deployment, DeploymentEvent transition, CancellationToken cancellationToken);
}
