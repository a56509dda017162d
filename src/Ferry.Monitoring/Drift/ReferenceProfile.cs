namespace Ferry.Monitoring.Drift;

/// <summary>
/// What "no drift" looks like: a profile per feature. Built from a file (<see cref="ReferenceProfileBuilder"/>) or
/// from a baseline window of the prediction log; the dataset registry will hand over the same type.
/// </summary>
public sealed record ReferenceProfile
{
    public required string Source { get; init; }

    public required long RowCount { get; init; }

    public required IReadOnlyDictionary<string, FeatureProfile> Features { get; init; }
}
