namespace Ferry.Monitoring.Drift;

/// <summary>
/// Turns what a user wrote as a drift reference into a profile. Files (CSV, Parquet, JSONL) are understood here;
/// the server adds registered datasets (<c>dataset:NAME@VERSION</c>) and a model's own training data (<c>training</c>).
/// </summary>
public interface IReferenceSource
{
    Task<ReferenceProfile> LoadAsync(string reference, string model, string? version, CancellationToken cancellationToken);
}

/// <summary>References are data files, profiled on each call.</summary>
public sealed class FileReferences : IReferenceSource
{
    public Task<ReferenceProfile> LoadAsync(string reference, string model, string? version, CancellationToken cancellationToken) =>
        ReferenceProfileBuilder.FromFileAsync(reference, cancellationToken);
}
