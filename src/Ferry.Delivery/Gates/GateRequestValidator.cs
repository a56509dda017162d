namespace Ferry.Delivery.Gates;

/// <summary>Checks a <see cref="GateRequest"/> and reports every bad field at once, named as in the REST body.</summary>
public static class GateRequestValidator
{
    public const int MaxRuns = 100_000;

    /// <exception cref="FerryException">InvalidArgument listing every bad field.</exception>
    public static void Validate(GateRequest request)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            errors.Add("model: a model name is required");
        }

        if (request.Version <= 0)
        {
            errors.Add($"version: must be a positive version number, not {request.Version}");
        }

        if (request.Contract is { } contract && contract.Inputs.Count == 0 && contract.Outputs.Count == 0)
        {
            errors.Add("contract: names no inputs and no outputs");
        }

        var policy = request.Policy;
        if (policy.MaxSizeBytes is <= 0)
        {
            errors.Add($"policy.maxSizeBytes: must be positive, not {policy.MaxSizeBytes}");
        }

        if (policy.MaxLatencyP99 is { } latency && latency <= TimeSpan.Zero)
        {
            errors.Add($"policy.maxLatencyP99Ms: must be positive, not {latency.TotalMilliseconds}");
        }

        if (policy.MaxMemoryBytes is <= 0)
        {
            errors.Add($"policy.maxMemoryBytes: must be positive, not {policy.MaxMemoryBytes}");
        }

        if (policy.Benchmark.WarmupRuns is < 0 or > MaxRuns)
        {
            errors.Add($"policy.benchmark.warmupRuns: must be 0 to {MaxRuns}, not {policy.Benchmark.WarmupRuns}");
        }

        if (policy.Benchmark.TimedRuns is < 1 or > MaxRuns)
        {
            errors.Add($"policy.benchmark.timedRuns: must be 1 to {MaxRuns}, not {policy.Benchmark.TimedRuns}");
        }

        if (policy.Benchmark.DynamicDimension is < 1 or > 4096)
        {
            errors.Add($"policy.benchmark.dynamicDimension: must be 1 to 4096, not {policy.Benchmark.DynamicDimension}");
        }

        if (policy.Metric is { } metric)
        {
            if (!OptimisingMetric.Known.ContainsKey(metric.Name ?? ""))
            {
                errors.Add($"policy.metric.name: '{metric.Name}' is not one of {string.Join(", ", OptimisingMetric.Known.Keys)}");
            }

            if (string.IsNullOrWhiteSpace(metric.Dataset))
            {
                errors.Add("policy.metric.dataset: a registered dataset name is required");
            }

            if (metric.DatasetVersion <= 0)
            {
                errors.Add($"policy.metric.datasetVersion: must be a positive version number, not {metric.DatasetVersion}");
            }

            if (string.IsNullOrWhiteSpace(metric.Label))
            {
                errors.Add("policy.metric.label: the dataset's label column is required");
            }

            if (metric.Tolerance < 0 || !double.IsFinite(metric.Tolerance))
            {
                errors.Add($"policy.metric.tolerance: must be a non-negative number, not {metric.Tolerance}");
            }

            if (string.IsNullOrWhiteSpace(metric.ChampionAlias))
            {
                errors.Add("policy.metric.championAlias: must not be empty");
            }
        }

        if (errors.Count > 0)
        {
            throw FerryException.Invalid(string.Join("; ", errors));
        }
    }
}
