namespace Ferry.Monitoring.Performance;

/// <summary>The least-squares slope of the main metric per window and what it means for the model.</summary>
public sealed record PerformanceTrend(string Metric, double SlopePerWindow, string Direction);
