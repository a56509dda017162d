namespace Ferry.Delivery.Gates;

/// <summary>
/// The limits a candidate must meet. Every limit is optional: a null limit is not checked (the benchmark still runs
/// when latency or memory is limited).
/// </summary>
public sealed record GatePolicy
{
    /// <summary>The largest ONNX file allowed, in bytes.</summary>
    public long? MaxSizeBytes { get; init; }

    /// <summary>The slowest p99 latency of one batch-1 inference allowed on the built-in benchmark.</summary>
    public TimeSpan? MaxLatencyP99 { get; init; }

    /// <summary>The most memory (process resident set growth from loading and running the model) allowed, in bytes.</summary>
    public long? MaxMemoryBytes { get; init; }

    public BenchmarkSettings Benchmark { get; init; } = new();

    /// <summary>The optimising metric the candidate must match or beat the champion on; null skips the check.</summary>
    public OptimisingMetric? Metric { get; init; }
}

/// <summary>How the built-in benchmark runs the model: in-process ONNX Runtime, batch 1, generated inputs.</summary>
public sealed record BenchmarkSettings
{
    /// <summary>Untimed runs first, to let ONNX Runtime allocate and the JIT settle. Default 10.</summary>
    public int WarmupRuns { get; init; } = 10;

    /// <summary>Timed runs; p99 needs enough of them to mean anything. Default 200.</summary>
    public int TimedRuns { get; init; } = 200;

    /// <summary>The size given to dynamic dimensions after the first (the first, the batch, is always 1). Default 1.</summary>
    public int DynamicDimension { get; init; } = 1;
}
