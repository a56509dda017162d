namespace Ferry.Storage.Tracking;

/// <summary>
/// Experiments, runs and dataset versions in the metadata store. Each write is its own transaction: a log call
/// either lands whole or not at all. Missing experiments or runs throw NotFound; a taken name AlreadyExists; a
/// param logged again with another value InvalidArgument.
/// </summary>
public interface ITrackingStore
{
    Task<Experiment> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyDictionary<string, string> tags, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Experiment?> GetExperimentAsync(long id, CancellationToken cancellationToken);

    Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken);

    Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken);

    Task RenameExperimentAsync(long id, string newName, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks the experiment deleted or active again; its runs follow it.</summary>
    Task SetExperimentStageAsync(long id, string stage, DateTimeOffset now, CancellationToken cancellationToken);

    Task<RunRecord> CreateRunAsync(NewRun run, CancellationToken cancellationToken);

    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Changes what is given (status, end time, name); returns the run as it is now.</summary>
    Task<RunRecord> UpdateRunAsync(string runId, string? status, long? endTime, string? name, CancellationToken cancellationToken);

    Task SetRunStageAsync(string runId, string stage, CancellationToken cancellationToken);

    /// <summary>Writes params, tags and metrics in one transaction; the run must be active.</summary>
    Task LogBatchAsync(string runId, RunBatch batch, CancellationToken cancellationToken);

    /// <summary>Links datasets to the run, creating dataset versions that the store has not seen (by name and digest).</summary>
    Task LogInputsAsync(string runId, IReadOnlyList<NewDatasetInput> inputs, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The metric's series in step, then timestamp order, read row by row; empty if the run never logged it.</summary>
    IAsyncEnumerable<MetricPoint> ReadMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>
    /// The same series as <see cref="ReadMetricHistoryAsync"/>, read in batches of up to <paramref name="batchSize"/>
    /// points into one buffer that the reader reuses: a batch is valid until the enumerator moves on.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<MetricSample>> ReadMetricHistoryBatchesAsync(string runId, string key, int batchSize, CancellationToken cancellationToken);

    Task<Page<RunRecord>> SearchRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Adds the next version of the dataset, or returns the version that has the same digest (created false).</summary>
    Task<(DatasetVersionRecord Version, bool Created)> AddDatasetVersionAsync(DatasetVersionRecord dataset, CancellationToken cancellationToken);

    Task<DatasetVersionRecord?> GetDatasetVersionAsync(string name, long version, CancellationToken cancellationToken);

    Task<DatasetVersionRecord?> FindDatasetVersionAsync(string name, string digest, CancellationToken cancellationToken);

    Task<DatasetVersionRecord?> GetDatasetVersionByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>Runs that used the dataset version, with the context of each use.</summary>
    Task<IReadOnlyList<(string RunId, string Context)>> ListDatasetUsesAsync(string datasetId, CancellationToken cancellationToken);

    /// <summary>Model versions that name the dataset version among their datasets, or came from one of the runs.</summary>
    Task<IReadOnlyList<(string ModelName, long Version, string? SourceRunId)>> ListModelVersionsFromAsync(
        string datasetId, IReadOnlyList<string> runIds, CancellationToken cancellationToken);

    /// <summary>Records (or replaces) the artifact at the path of the run; the blob must already be stored.</summary>
    Task PutRunArtifactAsync(RunArtifact artifact, CancellationToken cancellationToken);

    Task<RunArtifact?> GetRunArtifactAsync(string runId, string path, CancellationToken cancellationToken);

    /// <summary>The run's artifacts whose path starts with <paramref name="prefix"/> (all with an empty prefix), by path.</summary>
    Task<IReadOnlyList<RunArtifact>> ListRunArtifactsAsync(string runId, string prefix, CancellationToken cancellationToken);
}
