using Ferry.Monitoring.Webhooks;
using Prometheus;

namespace Ferry.Server.Metrics;

/// <summary>Webhook deliveries in <c>/metrics</c>: events queued and dropped, attempts, and how each delivery ended.</summary>
public sealed class WebhookMetrics
{
    public WebhookMetrics(CollectorRegistry registry, WebhookSender sender)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var events = factory.CreateCounter("ferry_webhook_events_total", "Webhook events by what became of them: queued, dropped (queue full), delivered, rejected (4xx), gave_up (retries exhausted).", "outcome");
        var attempts = factory.CreateCounter("ferry_webhook_attempts_total", "Webhook POSTs made, retries included.");
        registry.AddBeforeCollectCallback(() =>
        {
            var counts = sender.Stats.Snapshot();
            events.WithLabels("queued").IncTo(counts.Enqueued);
            events.WithLabels("dropped").IncTo(counts.Dropped);
            events.WithLabels("delivered").IncTo(counts.Delivered);
            events.WithLabels("rejected").IncTo(counts.Rejected);
            events.WithLabels("gave_up").IncTo(counts.GaveUp);
            attempts.IncTo(counts.Attempts);
        });
    }
}
