namespace Ferry.Server.Mlflow;

// MLflow's model registry messages (model_registry.proto), as JSON with its snake_case field names.

public sealed record MlflowAlias(string Alias, string Version);

public sealed record MlflowModelVersion(
    string Name, string Version, long CreationTimestamp, long LastUpdatedTimestamp, string CurrentStage, string Description, string Source,
    string RunId, string Status, string RunLink, IReadOnlyList<MlflowKeyValue> Tags, IReadOnlyList<string> Aliases);

public sealed record MlflowRegisteredModel(
    string Name, long CreationTimestamp, long LastUpdatedTimestamp, string Description, IReadOnlyList<MlflowModelVersion> LatestVersions,
    IReadOnlyList<MlflowKeyValue> Tags, IReadOnlyList<MlflowAlias> Aliases);

/// <summary>The union of the registry requests' fields; each endpoint reads the ones its message has.</summary>
public sealed record MlflowRegistryRequest
{
    public string? Name { get; init; }

    public string? NewName { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<MlflowKeyValue>? Tags { get; init; }

    public string? Version { get; init; }

    public string? Alias { get; init; }

    public string? Key { get; init; }

    public string? Value { get; init; }

    public string? Source { get; init; }

    public string? RunId { get; init; }

    public string? RunLink { get; init; }

    public IReadOnlyList<string>? Stages { get; init; }

    public string? Filter { get; init; }

    public long? MaxResults { get; init; }

    public IReadOnlyList<string>? OrderBy { get; init; }

    public string? PageToken { get; init; }
}
