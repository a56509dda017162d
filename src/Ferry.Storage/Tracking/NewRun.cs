namespace Ferry.Storage.Tracking;

public sealed record NewRun
{
    public required string RunId { get; init; }

    public required long ExperimentId { get; init; }

    public required string Name { get; init; }

    public required string UserId { get; init; }

    public required long StartTime { get; init; }

    public required string ArtifactUri { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
