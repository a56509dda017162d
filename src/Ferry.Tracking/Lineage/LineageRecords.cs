using Ferry.Storage.Tracking;

namespace Ferry.Tracking.Lineage;

/// <summary>A dataset in a model's lineage; <see cref="Dataset"/> is null when the id names no registered version.</summary>
public sealed record LineageDataset(string Id, DatasetVersionRecord? Dataset, string Context);

public sealed record LineageRun(string RunId, string Context);

public sealed record LineageModelVersion(string ModelName, long Version, string? SourceRunId);

/// <summary>Upstream of a model version.</summary>
public sealed record ModelLineage(string ModelName, long Version, string? SourceRunId, RunRecord? Run, IReadOnlyList<LineageDataset> Datasets);

/// <summary>Downstream of a dataset version.</summary>
public sealed record DatasetLineage(DatasetVersionRecord Dataset, IReadOnlyList<LineageRun> Runs, IReadOnlyList<LineageModelVersion> ModelVersions);
