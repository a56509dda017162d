namespace Ferry.Monitoring.Drift;

/// <summary>One test's outcome; <see cref="PValue"/> is null for distances, whose <see cref="Statistic"/> meets the threshold.</summary>
public sealed record DriftTestResult(string Test, double Statistic, double? PValue, double Threshold, bool Drifted);
