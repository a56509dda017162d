namespace Ferry.Monitoring.Performance;

public sealed record PerformanceReport
{
    public required string Model { get; init; }

    public string? Version { get; init; }

    public required string Task { get; init; }

    public required string Output { get; init; }

    public string? Score { get; init; }

    public required TimeSpan Window { get; init; }

    public required IReadOnlyList<PerformanceWindow> Windows { get; init; }

    public PerformanceTrend? Trend { get; init; }
}
