using System.Globalization;
using Ferry.Batch;
using Ferry.Batch.Io;
using Ferry.Inference;
using Ferry.Inference.Models;
using Ferry.Storage;
using Ferry.Tracking.Datasets;
using Ferry.Tracking.Registry;
using Microsoft.Extensions.Logging;

namespace Ferry.Delivery.Gates;

/// <summary>
/// Checks a registered model version before it may enter a deployment: compatibility with a contract, gating
/// metrics (size, p99 latency and memory on the built-in benchmark) and an optimising metric against the champion.
/// </summary>
/// <remarks>
/// Checks run one at a time per process: the benchmark's latency and memory figures are only meaningful when no
/// other gate is loading models beside it. Requests are validated and every record they name is looked up before
/// any model is loaded, so a bad request fails fast and changes nothing. Results are returned, not stored.
/// </remarks>
public sealed class GateService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ModelRegistry _registry;
    private readonly DatasetService _datasets;
    private readonly GateOptions _options;
    private readonly GateArtifacts _artifacts;
    private readonly ILogger<GateService> _logger;

    public GateService(ModelRegistry registry, DatasetService datasets, GateOptions options, ILogger<GateService> logger)
    {
        _registry = registry;
        _datasets = datasets;
        _options = options;
        _logger = logger;
        _artifacts = new GateArtifacts(registry, options);
    }

    /// <summary>
    /// The gate of a deployment: <paramref name="version"/> checked under <paramref name="policy"/> with the signature of
    /// <paramref name="contractVersion"/> (the deployment's stable version) as the contract.
    /// </summary>
    public async Task<GateReport> CheckEntryAsync(string model, long version, long contractVersion, GatePolicy policy, CancellationToken cancellationToken)
    {
        var stable = await _registry.GetVersionAsync(model, contractVersion, cancellationToken).ConfigureAwait(false);
        return await CheckAsync(new GateRequest { Model = model, Version = version, Contract = stable.Signature, Policy = policy }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <exception cref="FerryException">InvalidArgument naming the bad field; NotFound for an unknown model, version or dataset.</exception>
    public async Task<GateReport> CheckAsync(GateRequest request, CancellationToken cancellationToken)
    {
        GateRequestValidator.Validate(request);
        var policy = request.Policy;
        var candidate = await _registry.GetVersionAsync(request.Model, request.Version, cancellationToken).ConfigureAwait(false);
        var champion = await FindChampionAsync(request.Model, policy.Metric?.ChampionAlias ?? "champion", cancellationToken).ConfigureAwait(false);
        IReadOnlyList<InputFile>? evaluation = null;
        if (policy.Metric is { } metric)
        {
            evaluation = await EvaluationFilesAsync(metric, cancellationToken).ConfigureAwait(false);
        }

        var checks = new List<GateCheck> { Compatibility(request, candidate, champion) };
        if (policy.MaxSizeBytes is { } maxSize)
        {
            checks.Add(Limit("model_size", candidate.SizeBytes, maxSize, "bytes", "model size"));
        }

        var needsBenchmark = policy.MaxLatencyP99 is not null || policy.MaxMemoryBytes is not null;
        if (needsBenchmark || policy.Metric is not null)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await RunModelChecksAsync(request, candidate, champion, evaluation, needsBenchmark, checks, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        var passed = checks.TrueForAll(c => c.Passed);
        var failed = checks.Where(c => !c.Passed).Select(c => c.Name).ToArray();
        GateLog.Checked(_logger, request.Model, request.Version, passed ? "passed" : "failed", failed.Length == 0 ? "all checks passed" : "failed: " + string.Join(", ", failed));
        return new GateReport { Model = request.Model, Version = request.Version, Passed = passed, Checks = checks };
    }

    private async Task RunModelChecksAsync(
        GateRequest request, ModelVersionRecord candidate, ModelVersionRecord? champion, IReadOnlyList<InputFile>? evaluation, bool benchmark,
        List<GateCheck> checks, CancellationToken cancellationToken)
    {
        var policy = request.Policy;
        var path = await _artifacts.GetAsync(candidate, cancellationToken).ConfigureAwait(false);
        var before = ModelBenchmark.ResidentBytes();
        var model = await LoadAsync(candidate, path, cancellationToken).ConfigureAwait(false);
        try
        {
            if (benchmark)
            {
                var result = await ModelBenchmark.RunAsync(model, policy.Benchmark, before, cancellationToken).ConfigureAwait(false);
                if (policy.MaxLatencyP99 is { } latency)
                {
                    checks.Add(Limit("latency_p99", result.P99.TotalMilliseconds, latency.TotalMilliseconds, "ms",
                        $"p99 latency (batch 1, {result.Runs} runs, p50 {Number(result.P50.TotalMilliseconds)} ms)"));
                }

                if (policy.MaxMemoryBytes is { } memory)
                {
                    checks.Add(Limit("memory", result.MemoryBytes, memory, "bytes", "memory (resident set growth from loading and running)"));
                }
            }

            if (policy.Metric is { } metric)
            {
                checks.Add(await OptimisingAsync(metric, model, champion, evaluation!, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            model.Retire();
        }
    }

    private async Task<GateCheck> OptimisingAsync(
        OptimisingMetric metric, ModelVersion candidate, ModelVersionRecord? champion, IReadOnlyList<InputFile> files, CancellationToken cancellationToken)
    {
        var dataset = $"dataset '{metric.Dataset}' version {metric.DatasetVersion}";
        var (value, rows) = await EvaluationScorer.ComputeAsync(candidate, files, metric, dataset, cancellationToken).ConfigureAwait(false);
        if (champion is null)
        {
            return new GateCheck
            {
                Name = metric.Name, Passed = true, Value = value, Unit = metric.Name,
                Message = Invariant($"{metric.Name} {value:0.######} on {dataset} ({rows} rows); no version holds the alias '{metric.ChampionAlias}', so there is nothing to beat"),
            };
        }

        if (champion.Version == candidate.Version)
        {
            return new GateCheck
            {
                Name = metric.Name, Passed = true, Value = value, Reference = value, Difference = 0, Unit = metric.Name,
                Message = Invariant($"{metric.Name} {value:0.######} on {dataset}; version {champion.Version} is itself the '{metric.ChampionAlias}'"),
            };
        }

        var championPath = await _artifacts.GetAsync(champion, cancellationToken).ConfigureAwait(false);
        var championModel = await LoadAsync(champion, championPath, cancellationToken).ConfigureAwait(false);
        double reference;
        try
        {
            (reference, _) = await EvaluationScorer.ComputeAsync(championModel, files, metric, dataset, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            championModel.Retire();
        }

        var difference = value - reference;
        var threshold = metric.HigherIsBetter ? reference - metric.Tolerance : reference + metric.Tolerance;
        var passed = metric.HigherIsBetter ? value >= threshold : value <= threshold;
        var direction = metric.HigherIsBetter ? "higher" : "lower";
        var verdict = difference == 0 ? "equal to" : (difference > 0) == metric.HigherIsBetter ? "better than" : "worse than";
        return new GateCheck
        {
            Name = metric.Name, Passed = passed, Value = value, Threshold = threshold, Reference = reference, Difference = difference, Unit = metric.Name,
            Message = Invariant(
                $"{metric.Name} {value:0.######} vs '{metric.ChampionAlias}' (version {champion.Version}) {reference:0.######} on {dataset} ({rows} rows): {verdict} it by {Math.Abs(difference):0.######} ({direction} is better, tolerance {metric.Tolerance:0.######})"),
        };
    }

    private static GateCheck Compatibility(GateRequest request, ModelVersionRecord candidate, ModelVersionRecord? champion)
    {
        if (request.Contract is { } contract)
        {
            return SignatureCompatibility.Check(contract, candidate.Signature, "the contract");
        }

        if (champion is not null)
        {
            return SignatureCompatibility.Check(champion.Signature, candidate.Signature, $"the champion's signature (version {champion.Version})");
        }

        return new GateCheck
        {
            Name = SignatureCompatibility.CheckName, Passed = true,
            Message = "no contract given and no champion to take one from: nothing to be compatible with",
        };
    }

    private static GateCheck Limit(string name, double value, double limit, string unit, string what)
    {
        var passed = value <= limit;
        return new GateCheck
        {
            Name = name, Passed = passed, Value = value, Threshold = limit, Difference = value - limit, Unit = unit,
            Message = passed
                ? $"{what} {Number(value)} {unit} is within the limit {Number(limit)} {unit}"
                : $"{what} {Number(value)} {unit} exceeds the limit {Number(limit)} {unit} by {Number(value - limit)} {unit}",
        };
    }

    private async Task<ModelVersionRecord?> FindChampionAsync(string model, string alias, CancellationToken cancellationToken)
    {
        try
        {
            return await _registry.GetVersionByAliasAsync(model, alias, cancellationToken).ConfigureAwait(false);
        }
        catch (FerryException e) when (e.Code == ErrorCode.NotFound)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<InputFile>> EvaluationFilesAsync(OptimisingMetric metric, CancellationToken cancellationToken)
    {
        var record = await _datasets.GetAsync(metric.Dataset, metric.DatasetVersion, cancellationToken).ConfigureAwait(false);
        var what = $"dataset '{metric.Dataset}' version {metric.DatasetVersion}";
        IReadOnlyList<InputFile> files;
        try
        {
            files = InputFile.List(record.Source);
        }
        catch (BatchUsageException e)
        {
            throw FerryException.NotFound($"{what}: its files are no longer readable at {record.Source}: {e.Message}");
        }

        // The metric must be computed on the registered content, not on whatever the path holds today.
        var (digest, _) = await DatasetManifest.DigestAsync(files, cancellationToken).ConfigureAwait(false);
        if (digest != record.Digest)
        {
            throw FerryException.NotFound($"{what}: the files at {record.Source} changed since registration ({record.Digest} registered, {digest} now)");
        }

        return files;
    }

    private Task<ModelVersion> LoadAsync(ModelVersionRecord record, string path, CancellationToken cancellationToken)
    {
        var inference = new InferenceOptions { IntraOpThreads = _options.IntraOpThreads, InterOpThreads = 1 };
        return Task.Run(() => ModelVersion.Load(record.ModelName, record.Version, path, ModelConfig.Default, inference, NullInferenceObserver.Instance), cancellationToken);
    }

    /// <summary>Three decimals for ordinary figures, six significant digits for small ones (a 0.0001 ms limit stays readable).</summary>
    private static string Number(double value) =>
        value == 0 || Math.Abs(value) >= 1
            ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
