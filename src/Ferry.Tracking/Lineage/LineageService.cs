using Ferry.Storage;
using Ferry.Storage.Tracking;

namespace Ferry.Tracking.Lineage;

/// <summary>
/// Where a model version came from (its source run and the datasets it names or that run used) and where a dataset
/// version went (the runs that used it and the model versions built from it or from those runs). Runs that used a model
/// version (batch jobs) are found by their <see cref="LineageTags"/>.
/// </summary>
public sealed class LineageService(IMetadataStore store)
{
    public async Task<ModelLineage> UpstreamAsync(string modelName, long version, CancellationToken cancellationToken)
    {
        var record = await store.GetVersionAsync(modelName, version, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"model '{modelName}' has no version {version}");
        RunRecord? run = null;
        if (record.SourceRunId is { Length: > 0 } runId)
        {
            run = await store.Tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        }

        var datasets = new List<LineageDataset>();
        foreach (var id in record.DatasetVersionIds)
        {
            var dataset = await store.Tracking.GetDatasetVersionByIdAsync(id, cancellationToken).ConfigureAwait(false);
            datasets.Add(new LineageDataset(id, dataset, "model_version"));
        }

        // A dataset the run also logged takes the run's context (train, validation, test), which says more.
        foreach (var input in run?.Inputs ?? [])
        {
            var known = datasets.FindIndex(d => d.Id == input.Dataset.Id);
            var entry = new LineageDataset(input.Dataset.Id, input.Dataset, input.Context);
            if (known >= 0)
            {
                datasets[known] = entry;
            }
            else
            {
                datasets.Add(entry);
            }
        }

        return new ModelLineage(modelName, version, record.SourceRunId, run, datasets) { UsedBy = await UsesAsync(modelName, version, cancellationToken).ConfigureAwait(false) };
    }

    /// <summary>Runs tagged as having used the version (<see cref="LineageTags"/>); the newest <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<LineageUse>> UsesAsync(string modelName, long version, CancellationToken cancellationToken, int limit = 100)
    {
        var page = await store.Tracking.SearchRunsAsync(new RunQuery
        {
            Filter =
            [
                new RunFilterClause(new RunField(RunFieldKind.Tag, LineageTags.ModelName), FilterOp.Equal, modelName),
                new RunFilterClause(new RunField(RunFieldKind.Tag, LineageTags.ModelVersion), FilterOp.Equal, version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            MaxResults = limit,
        }, cancellationToken).ConfigureAwait(false);
        var uses = new List<LineageUse>(page.Items.Count);
        foreach (var found in page.Items)
        {
            // Read whole, so the run's dataset inputs (batch-input, batch-output) come with it.
            var run = await store.Tracking.GetRunAsync(found.RunId, cancellationToken).ConfigureAwait(false) ?? found;
            uses.Add(new LineageUse(run, run.Inputs.Select(i => new LineageDataset(i.Dataset.Id, i.Dataset, i.Context)).ToArray()));
        }

        return uses;
    }

    public async Task<DatasetLineage> DownstreamAsync(string name, long version, CancellationToken cancellationToken)
    {
        var dataset = await store.Tracking.GetDatasetVersionAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"dataset '{name}' has no version {version}");
        var uses = await store.Tracking.ListDatasetUsesAsync(dataset.Id, cancellationToken).ConfigureAwait(false);
        var models = await store.Tracking.ListModelVersionsFromAsync(dataset.Id, uses.Select(u => u.RunId).ToArray(), cancellationToken).ConfigureAwait(false);
        return new DatasetLineage(dataset, uses.Select(u => new LineageRun(u.RunId, u.Context)).ToArray(),
            models.Select(m => new LineageModelVersion(m.ModelName, m.Version, m.SourceRunId)).ToArray());
    }
}
