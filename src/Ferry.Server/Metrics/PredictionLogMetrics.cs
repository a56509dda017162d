using Ferry.Monitoring.Log;
using Prometheus;

namespace Ferry.Server.Metrics;

/// <summary>
/// The prediction log's counters in <c>/metrics</c>. The log counts with plain interlocked fields (it knows nothing of
/// Prometheus); they are copied into the counters just before each scrape.
/// </summary>
public sealed class PredictionLogMetrics
{
    public PredictionLogMetrics(CollectorRegistry registry, PredictionLogStats stats)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var dropped = factory.CreateCounter("ferry_prediction_log_dropped_total", "Predictions not logged because the log's channel was full.");
        var failures = factory.CreateCounter("ferry_prediction_log_write_failures_total", "Prediction log flushes that failed (disk full, folder unwritable); their rows are lost.");
        var rows = factory.CreateCounter("ferry_prediction_log_rows_total", "Prediction rows written to the log.");
        registry.AddBeforeCollectCallback(() =>
        {
            dropped.IncTo(stats.Dropped);
            failures.IncTo(stats.WriteFailures);
            rows.IncTo(stats.RowsWritten);
        });
    }
}
