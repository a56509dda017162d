namespace Ferry.Monitoring.Drift;

/// <summary>One feature's line of a drift report.</summary>
public sealed record FeatureDrift(string Feature, FeatureKind Kind, long ReferenceRows, long CurrentRows, DriftTestResult Result);
