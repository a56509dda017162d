namespace Ferry.Monitoring.Performance;

/// <summary>Realised performance of the predictions made in [Start, End) that have a label so far.</summary>
public sealed record PerformanceWindow(DateTimeOffset Start, DateTimeOffset End, long Predictions, long Labelled, IReadOnlyDictionary<string, double> Metrics);
