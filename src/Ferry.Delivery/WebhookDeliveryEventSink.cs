using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Delivery.Model;
using Ferry.Monitoring.Webhooks;
using Ferry.Storage.Delivery;

namespace Ferry.Delivery;

/// <summary>
/// Sends every deployment transition to the configured webhooks as <c>deployment.KIND</c> (<c>deployment.created</c>,
/// <c>deployment.aborted</c>, <c>deployment.analysis</c>...), signed and retried by the <see cref="WebhookSender"/>.
/// The event's data holds the deployment, its versions and phase after the transition, and the history line with its
/// evidence (the decision's numbers) as an object. Publishing only enqueues: a transition never waits on a receiver.
/// </summary>
public sealed class WebhookDeliveryEventSink(WebhookSender sender) : IDeliveryEventSink
{
    /// <summary>The prefix of every deployment event type.</summary>
    public const string Prefix = "deployment.";

    public Task OnTransitionAsync(Deployment deployment, DeploymentEvent transition, CancellationToken cancellationToken)
    {
        sender.TryPublish(Prefix + transition.Kind, Data(deployment, transition));
        return Task.CompletedTask;
    }

    /// <summary>The event's <c>data</c>: snake_case like the deployment API.</summary>
    public static JsonObject Data(Deployment deployment, DeploymentEvent transition)
    {
        var state = deployment.State;
        return new JsonObject
        {
            ["deployment"] = deployment.Name,
            ["model"] = deployment.Model,
            ["kind"] = transition.Kind,
            ["message"] = transition.Message,
            ["actor"] = transition.Actor,
            ["at"] = transition.At,
            ["phase"] = JsonSerializer.SerializeToNode(state.Phase, DeliveryJson.Options),
            ["stable_version"] = state.StableVersion,
            ["candidate_version"] = state.CandidateVersion,
            ["previous_stable_version"] = state.PreviousStableVersion,
            ["candidate_weight"] = state.CandidateWeight,
            ["revision"] = deployment.Revision,
            ["detail"] = transition.Detail is null ? null : JsonNode.Parse(transition.Detail),
        };
    }
}
