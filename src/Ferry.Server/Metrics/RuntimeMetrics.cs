using Prometheus;

namespace Ferry.Server.Metrics;

/// <summary>
/// The runtime's own meter (<c>System.Runtime</c>: GC collections and heap sizes, thread-pool threads, queue length
/// and completed work items, lock contention, exceptions) in <c>/metrics</c>, beside process CPU and memory from
/// <see cref="DotNetStats"/>. Names are the meter's and instrument's, dots as underscores (e.g. <c>system_runtime_dotnet_thread_pool_queue_length</c>).
/// </summary>
public sealed class RuntimeMetrics : IDisposable
{
    private readonly IDisposable _listener;

    public RuntimeMetrics(CollectorRegistry registry)
    {
        _listener = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            MetricFactory = Prometheus.Metrics.WithCustomRegistry(registry),
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == "System.Runtime",
        });
    }

    public void Dispose() => _listener.Dispose();
}
