using Ferry.Inference;
using Prometheus;

namespace Ferry.Server.Metrics;

/// <summary>
/// The serving metrics in Prometheus form, per model and version: request, queue and compute time as
/// histograms, batch sizes, requests, failures by reason, pending requests and model load time.
/// </summary>
public sealed class FerryMetrics : IInferenceObserver
{
    /// <summary>100 µs to about 26 s, doubling: fine enough for tree models, wide enough for CNNs under load.</summary>
    private static readonly double[] LatencyBuckets = Prometheus.Histogram.ExponentialBuckets(0.0001, 2, 19);

    private readonly Histogram _request;
    private readonly Histogram _queue;
    private readonly Histogram _compute;
    private readonly Histogram _batchSize;
    private readonly Counter _requests;
    private readonly Counter _failures;
    private readonly Gauge _pending;
    private readonly Histogram _load;
    private readonly Counter _loadFailures;

    public FerryMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _request = factory.CreateHistogram("ferry_request_duration_seconds", "Time from receiving an inference request to its answer, decoding and encoding included.",
            new HistogramConfiguration { LabelNames = ["model", "version", "protocol"], Buckets = LatencyBuckets });
        _queue = factory.CreateHistogram("ferry_queue_duration_seconds", "Time an inference request waited before its model ran it.",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = LatencyBuckets });
        _compute = factory.CreateHistogram("ferry_compute_duration_seconds", "Time ONNX Runtime took to run a batch.",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = LatencyBuckets });
        _batchSize = factory.CreateHistogram("ferry_batch_size", "Rows in each run of a model.",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = Prometheus.Histogram.ExponentialBuckets(1, 2, 11) });
        _requests = factory.CreateCounter("ferry_inference_requests_total", "Inference requests answered, successful or not.",
            new CounterConfiguration { LabelNames = ["model", "version", "protocol"] });
        _failures = factory.CreateCounter("ferry_inference_failures_total", "Inference requests that failed, by reason.",
            new CounterConfiguration { LabelNames = ["model", "version", "protocol", "reason"] });
        _pending = factory.CreateGauge("ferry_pending_requests", "Inference requests admitted and not yet answered.",
            new GaugeConfiguration { LabelNames = ["model"] });
        _load = factory.CreateHistogram("ferry_model_load_duration_seconds", "Time to load and warm up one model version.",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = Prometheus.Histogram.ExponentialBuckets(0.01, 2, 14) });
        _loadFailures = factory.CreateCounter("ferry_model_load_failures_total", "Model loads that failed.",
            new CounterConfiguration { LabelNames = ["model"] });
    }

    /// <summary>The label used for requests whose model is not known, so hostile names cannot grow the series.</summary>
    public const string UnknownModel = "";

    public void RequestAnswered(string model, string version, string protocol, TimeSpan duration, string? failureReason)
    {
        _requests.WithLabels(model, version, protocol).Inc();
        if (failureReason is null)
        {
            _request.WithLabels(model, version, protocol).Observe(duration.TotalSeconds);
        }
        else
        {
            _failures.WithLabels(model, version, protocol, failureReason).Inc();
        }
    }

    public void VersionLoaded(string model, long version, TimeSpan duration) =>
        _load.WithLabels(model, version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Observe(duration.TotalSeconds);

    public void LoadFailed(string model, string reason) => _loadFailures.WithLabels(model).Inc();

    public void RequestStarted(string model) => _pending.WithLabels(model).Inc();

    public void RequestEnded(string model) => _pending.WithLabels(model).Dec();

    public void Queued(string model, string version, TimeSpan queued) =>
        _queue.WithLabels(model, version).Observe(queued.TotalSeconds);

    public void Computed(string model, string version, TimeSpan compute, int batchSize)
    {
        _compute.WithLabels(model, version).Observe(compute.TotalSeconds);
        _batchSize.WithLabels(model, version).Observe(batchSize);
    }

    /// <summary>The failure label for an error code.</summary>
    public static string Reason(ErrorCode code) => code switch
    {
        ErrorCode.InvalidArgument => "invalid_argument",
        ErrorCode.NotFound => "not_found",
        ErrorCode.Unavailable => "unavailable",
        ErrorCode.PayloadTooLarge => "payload_too_large",
        ErrorCode.ResourceExhausted => "resource_exhausted",
        ErrorCode.DeadlineExceeded => "deadline_exceeded",
        _ => "internal",
    };
}
