using Ferry.Monitoring.Alerts;
using Prometheus;

namespace Ferry.Server.Metrics;

/// <summary>Alert states in <c>/metrics</c>: 1 while a rule fires, its firings so far, and its last measured value.</summary>
public sealed class AlertMetrics
{
    public AlertMetrics(CollectorRegistry registry, AlertManager alerts)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        string[] labels = ["rule", "model", "kind"];
        var firing = factory.CreateGauge("ferry_alert_firing", "1 while the alert rule's condition holds, else 0.", labels);
        var firings = factory.CreateCounter("ferry_alert_firings_total", "Times the alert rule started firing.", labels);
        var value = factory.CreateGauge("ferry_alert_value", "The alert rule's value at its latest evaluation (NaN when there was nothing to measure).", labels);
        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var state in alerts.States)
            {
                var rule = state.Rule;
                firing.WithLabels(rule.Name, rule.Model, rule.Kind).Set(state.Firing ? 1 : 0);
                firings.WithLabels(rule.Name, rule.Model, rule.Kind).IncTo(state.Firings);
                value.WithLabels(rule.Name, rule.Model, rule.Kind).Set(state.LastValue ?? double.NaN);
            }
        });
    }
}
