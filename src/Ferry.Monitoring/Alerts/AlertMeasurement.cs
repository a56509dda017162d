namespace Ferry.Monitoring.Alerts;

/// <summary>What a rule measured: <see cref="Value"/> is null when there was nothing to measure (too few rows, no labels).</summary>
public sealed record AlertMeasurement(double? Value, long Samples, string Detail)
{
    public static AlertMeasurement None(long samples, string detail) => new(null, samples, detail);
}
