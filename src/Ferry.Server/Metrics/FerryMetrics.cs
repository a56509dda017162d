using System.Collections.Concurrent;
using Ferry.Inference;
using Prometheus;

namespace Ferry.Server.Metrics;

/// <summary>
/// The serving metrics in Prometheus form, per model and version: request, queue and compute time as
/// histograms, batch sizes, requests, failures by reason, pending requests and model load time.
/// </summary>
/// <remarks>
/// A request records up to seven observations. Looking a labelled child up by its label values costs an array
/// and a hash of every value each time, so the children of the hot path are kept per model version (and per
/// protocol) once made. The caches grow with the label sets the metrics would hold anyway, which are bounded
/// by the models loaded: unknown models share <see cref="UnknownModel"/>. In front of each cache sits the entry used
/// last, matched by reference: the labels are the model version's own strings, so a server busy with one model finds
/// its children without hashing a label.
/// </remarks>
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
    private readonly ConcurrentDictionary<(string Model, string Version), VersionSeries> _versions = new();
    private readonly ConcurrentDictionary<(string Model, string Version, string Protocol), RequestSeries> _answers = new();
    private readonly ConcurrentDictionary<string, Gauge.Child> _pendingByModel = new(StringComparer.Ordinal);
    private VersionSeries? _lastVersion;
    private RequestSeries? _lastAnswers;
    private PendingSeries? _lastPending;

    public FerryMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        // prometheus-net records an exemplar (the current trace context) with each observation by default; on the
        // request path that was the largest single cost of the metrics, for exemplars only OpenMetrics scrapes show.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
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
        if (failureReason is null)
        {
            var series = Answers(model, version, protocol);
            series.Requests.Inc();
            series.Duration.Observe(duration.TotalSeconds);
        }
        else
        {
            // Failures are rare and their labels vary; a duration series is not made for them.
            _requests.WithLabels(model, version, protocol).Inc();
            _failures.WithLabels(model, version, protocol, failureReason).Inc();
        }
    }

    public void VersionLoaded(string model, long version, TimeSpan duration) =>
        _load.WithLabels(model, version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Observe(duration.TotalSeconds);

    public void LoadFailed(string model, string reason) => _loadFailures.WithLabels(model).Inc();

    public void RequestStarted(string model) => Pending(model).Inc();

    public void RequestEnded(string model) => Pending(model).Dec();

    public void Queued(string model, string version, TimeSpan queued) =>
        Version(model, version).Queue.Observe(queued.TotalSeconds);

    public void Computed(string model, string version, TimeSpan compute, int batchSize)
    {
        var series = Version(model, version);
        series.Compute.Observe(compute.TotalSeconds);
        series.BatchSize.Observe(batchSize);
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

    private Gauge.Child Pending(string model)
    {
        if (Volatile.Read(ref _lastPending) is { } last && ReferenceEquals(last.Model, model))
        {
            return last.Gauge;
        }

        var child = _pendingByModel.TryGetValue(model, out var found) ? found : _pendingByModel.GetOrAdd(model, m => _pending.WithLabels(m));
        Volatile.Write(ref _lastPending, new PendingSeries(model, child));
        return child;
    }

    private VersionSeries Version(string model, string version)
    {
        if (Volatile.Read(ref _lastVersion) is { } last && ReferenceEquals(last.Model, model) && ReferenceEquals(last.Version, version))
        {
            return last;
        }

        var series = _versions.TryGetValue((model, version), out var found)
            ? found
            : _versions.GetOrAdd((model, version), key => new VersionSeries(
                key.Model, key.Version, _queue.WithLabels(key.Model, key.Version), _compute.WithLabels(key.Model, key.Version), _batchSize.WithLabels(key.Model, key.Version)));
        // The caller's own strings, which the next call is likeliest to pass again.
        Volatile.Write(ref _lastVersion, series with { Model = model, Version = version });
        return series;
    }

    private RequestSeries Answers(string model, string version, string protocol)
    {
        if (Volatile.Read(ref _lastAnswers) is { } last
            && ReferenceEquals(last.Model, model) && ReferenceEquals(last.Version, version) && ReferenceEquals(last.Protocol, protocol))
        {
            return last;
        }

        var series = _answers.TryGetValue((model, version, protocol), out var found)
            ? found
            : _answers.GetOrAdd((model, version, protocol), key => new RequestSeries(
                key.Model, key.Version, key.Protocol, _requests.WithLabels(key.Model, key.Version, key.Protocol), _request.WithLabels(key.Model, key.Version, key.Protocol)));
        Volatile.Write(ref _lastAnswers, series with { Model = model, Version = version, Protocol = protocol });
        return series;
    }

    /// <summary>The children of one model version's engine-side series, and the labels they were made for.</summary>
    private sealed record VersionSeries(string Model, string Version, Histogram.Child Queue, Histogram.Child Compute, Histogram.Child BatchSize);

    /// <summary>The children of one model version's successful requests on one protocol, and their labels.</summary>
    private sealed record RequestSeries(string Model, string Version, string Protocol, Counter.Child Requests, Histogram.Child Duration);

    private sealed record PendingSeries(string Model, Gauge.Child Gauge);
}
