using System.Globalization;
using Ferry.Storage;
using Ferry.Storage.Tracking;

namespace Ferry.Tracking.Runs;

/// <summary>
/// Experiments and runs as MLflow clients see them: checks every request against MLflow's limits before any write,
/// fills in ids and times, and turns "not there" into NotFound. The server's MLflow endpoints and the CLI call this.
/// </summary>
public sealed class TrackingService(IMetadataStore store, TimeProvider time)
{
    private ITrackingStore Tracking => store.Tracking;

    public async Task<Experiment> CreateExperimentAsync(string? name, string? artifactLocation, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        var checkedName = Required(name, "name");
        CheckTags(tags);
        return await Tracking.CreateExperimentAsync(checkedName, artifactLocation, ToDictionary(tags), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Experiment> GetExperimentAsync(string? experimentId, CancellationToken cancellationToken)
    {
        var id = ExperimentId(experimentId);
        return await Tracking.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"No Experiment with id={id} exists");
    }

    public async Task<Experiment> GetExperimentByNameAsync(string? name, CancellationToken cancellationToken)
    {
        var checkedName = Required(name, "experiment_name");
        return await Tracking.GetExperimentByNameAsync(checkedName, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"Could not find experiment with name '{checkedName}'");
    }

    public Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken) =>
        Tracking.SearchExperimentsAsync(query, cancellationToken);

    public Task RenameExperimentAsync(string? experimentId, string? newName, CancellationToken cancellationToken) =>
        Tracking.RenameExperimentAsync(ExperimentId(experimentId), Required(newName, "new_name"), time.GetUtcNow(), cancellationToken);

    public Task DeleteExperimentAsync(string? experimentId, CancellationToken cancellationToken) =>
        Tracking.SetExperimentStageAsync(ExperimentId(experimentId), LifecycleStages.Deleted, time.GetUtcNow(), cancellationToken);

    public Task<RunRecord> CreateRunAsync(
        string? experimentId, string? userId, string? runName, long? startTime, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        CheckTags(tags);
        var runId = Guid.NewGuid().ToString("N");

        // MLflow clients put the name in the mlflow.runName tag too; either one names the run.
        var name = runName ?? tags.LastOrDefault(t => t.Key == "mlflow.runName").Value ?? runId[..8];
        var id = ExperimentId(experimentId ?? "0");
        return Tracking.CreateRunAsync(new NewRun
        {
            RunId = runId,
            ExperimentId = id,
            Name = name,
            UserId = userId ?? "",
            StartTime = startTime ?? time.GetUtcNow().ToUnixTimeMilliseconds(),
            ArtifactUri = $"{RunArtifacts.Scheme}:/{id}/{runId}/artifacts",
            Tags = ToDictionary(tags),
        }, cancellationToken);
    }

    public async Task<RunRecord> GetRunAsync(string? runId, CancellationToken cancellationToken)
    {
        var id = Required(runId, "run_id");
        return await Tracking.GetRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw FerryException.NotFound($"Run '{id}' not found");
    }

    public Task<RunRecord> UpdateRunAsync(string? runId, string? status, long? endTime, string? runName, CancellationToken cancellationToken)
    {
        if (status is not null && !RunStatuses.IsKnown(status))
        {
            throw FerryException.Invalid($"Invalid value '{status}' for parameter 'status': expected RUNNING, SCHEDULED, FINISHED, FAILED or KILLED");
        }

        return Tracking.UpdateRunAsync(Required(runId, "run_id"), status, endTime, runName, cancellationToken);
    }

    public Task DeleteRunAsync(string? runId, CancellationToken cancellationToken) =>
        Tracking.SetRunStageAsync(Required(runId, "run_id"), LifecycleStages.Deleted, cancellationToken);

    /// <summary>Checks the whole batch first, so a refused batch writes nothing.</summary>
    public Task LogBatchAsync(string? runId, RunBatch batch, CancellationToken cancellationToken)
    {
        var id = Required(runId, "run_id");
        CheckCount(batch.Metrics.Count, TrackingLimits.MaxMetricsPerBatch, "metrics");
        CheckCount(batch.Params.Count, TrackingLimits.MaxParamsPerBatch, "params");
        CheckCount(batch.Tags.Count, TrackingLimits.MaxTagsPerBatch, "tags");
        var total = batch.Metrics.Count + batch.Params.Count + batch.Tags.Count;
        if (total > TrackingLimits.MaxEntitiesPerBatch)
        {
            throw FerryException.Invalid(
                $"A batch logging request can contain at most {TrackingLimits.MaxEntitiesPerBatch} metrics, params, and tags in total. Got {total}.");
        }

        foreach (var metric in batch.Metrics)
        {
            CheckKey(metric.Key, "metric");
        }

        foreach (var (key, value) in batch.Params)
        {
            CheckKey(key, "param");
            CheckValue(value, TrackingLimits.MaxParamValueLength, "param", key);
        }

        foreach (var group in batch.Params.GroupBy(p => p.Key).Where(g => g.Select(p => p.Value).Distinct().Count() > 1))
        {
            throw FerryException.Invalid($"Duplicate parameter keys have been submitted with different values: '{group.Key}'.");
        }

        CheckTags(batch.Tags);
        return Tracking.LogBatchAsync(id, batch, cancellationToken);
    }

    public Task LogInputsAsync(string? runId, IReadOnlyList<NewDatasetInput> inputs, CancellationToken cancellationToken)
    {
        CheckCount(inputs.Count, TrackingLimits.MaxDatasetsPerInputsCall, "datasets");
        foreach (var input in inputs)
        {
            Required(input.Dataset.Name, "dataset.name");
            Required(input.Dataset.Digest, "dataset.digest");
        }

        return Tracking.LogInputsAsync(Required(runId, "run_id"), inputs, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// The run must exist; the history of a key it never logged is empty, as in MLflow. The series comes in batches of
    /// up to <paramref name="batchSize"/> points, each valid until the enumerator moves on (see
    /// <see cref="ITrackingStore.ReadMetricHistoryBatchesAsync"/>).
    /// </summary>
    public async Task<IAsyncEnumerable<ReadOnlyMemory<MetricSample>>> OpenMetricHistoryAsync(
        string? runId, string? key, int batchSize, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        return Tracking.ReadMetricHistoryBatchesAsync(run.RunId, Required(key, "metric_key"), batchSize, cancellationToken);
    }

    public Task<Page<RunRecord>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, string? filter, IReadOnlyList<string>? orderBy, ViewType view, int? maxResults, string? pageToken,
        CancellationToken cancellationToken) =>
        Tracking.SearchRunsAsync(new RunQuery
        {
            ExperimentIds = experimentIds.Select(ExperimentId).ToArray(),
            Filter = RunFilter.Parse(filter),
            OrderBy = RunFilter.ParseOrderBy(orderBy),
            View = view,
            MaxResults = maxResults ?? 1000,
            PageToken = pageToken,
        }, cancellationToken);

    public static long ExperimentId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw FerryException.Invalid($"Invalid value '{text}' for parameter 'experiment_id': expected an experiment id");

    private static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw FerryException.Invalid($"Missing value for required parameter '{field}'.") : value;

    private static void CheckCount(int count, int max, string what)
    {
        if (count > max)
        {
            throw FerryException.Invalid(
                $"A batch logging request can contain at most {max} {what}. Got {count} {what}. Please split up {what} across multiple requests and try again.");
        }
    }

    private static void CheckTags(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        foreach (var (key, value) in tags)
        {
            CheckKey(key, "tag");
            CheckValue(value, TrackingLimits.MaxTagValueLength, "tag", key);
        }
    }

    private static void CheckKey(string? key, string what)
    {
        if (string.IsNullOrEmpty(key) || key.Length > TrackingLimits.MaxKeyLength)
        {
            throw FerryException.Invalid($"Invalid {what} name '{key}': it must be 1 to {TrackingLimits.MaxKeyLength} characters long.");
        }
    }

    private static void CheckValue(string? value, int max, string what, string key)
    {
        if (value is null || value.Length > max)
        {
            throw FerryException.Invalid($"Invalid value for {what} '{key}': it must be a string of at most {max} characters.");
        }
    }

    private static Dictionary<string, string> ToDictionary(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            dictionary[key] = value;
        }

        return dictionary;
    }
}
