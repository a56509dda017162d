namespace Ferry.Delivery.Gates;

/// <summary>What the built-in benchmark measured for one model version.</summary>
public sealed record BenchmarkResult
{
    public required int Runs { get; init; }

    public required TimeSpan P50 { get; init; }

    public required TimeSpan P99 { get; init; }

    public required TimeSpan LoadTime { get; init; }

    /// <summary>Growth of the process's resident set (managed and native) from before loading to after the runs; never negative.</summary>
    public required long MemoryBytes { get; init; }
}
