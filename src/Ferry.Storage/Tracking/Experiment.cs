namespace Ferry.Storage.Tracking;

/// <summary>A named group of runs; deleting one only marks it (<see cref="LifecycleStage"/> "deleted"), as MLflow does.</summary>
public sealed record Experiment
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    public required string ArtifactLocation { get; init; }

    /// <summary>"active" or "deleted".</summary>
    public required string LifecycleStage { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
