using Ferry.Storage.Tracking;

namespace Ferry.Tracking.Lineage;

/// <summary>A dataset in a model's lineage; <see cref="Dataset"/> is null when the id names no registered version.</summary>
public sealed record LineageDataset(string Id, DatasetVersionRecord? Dataset, string Context);

public sealed record LineageRun(string RunId, string Context);

public sealed record LineageModelVersion(string ModelName, long Version, string? SourceRunId);

/// <summary>A run that used a model version (a batch job), with the datasets it read and wrote.</summary>
public sealed record LineageUse(RunRecord Run, IReadOnlyList<LineageDataset> Datasets);

/// <summary>Upstream of a model version, and the runs that used it.</summary>
public sealed record ModelLineage(string ModelName, long Version, string? SourceRunId, RunRecord? Run, IReadOnlyList<LineageDataset> Datasets)
{
    /// <summary>Runs that scored with this version (batch jobs), newest first.</summary>
    public IReadOnlyList<LineageUse> UsedBy { get; init; } = [];
}

/// <summary>Downstream of a dataset version.</summary>
public sealed record DatasetLineage(DatasetVersionRecord Dataset, IReadOnlyList<LineageRun> Runs, IReadOnlyList<LineageModelVersion> ModelVersions);
