using System.Text.Json;
using Ferry.Monitoring;
using Ferry.Monitoring.Alerts;
using Ferry.Monitoring.Webhooks;

namespace Ferry.Server.Monitoring;

/// <summary>
/// Sends each alert firing and resolution to the configured webhooks as <c>alert.firing</c> / <c>alert.resolved</c>,
/// signed and retried by the <see cref="WebhookSender"/>. Publishing only enqueues: evaluation never waits on a receiver.
/// </summary>
public sealed class AlertWebhooks(WebhookSender sender) : IAlertNotifier
{
    public void Notify(AlertEvent alert) =>
        sender.TryPublish("alert." + alert.State, JsonSerializer.SerializeToNode(alert, MonitoringJson.Options));
}
