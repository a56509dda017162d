using Ferry.Inference.Models;
using Ferry.Monitoring.Alerts;
using Ferry.Storage;

namespace Ferry.Server.Monitoring;

/// <summary>
/// Ages for staleness alerts: a registered version's creation time and the newest dataset version its lineage names
/// (training data); for a model served only from a repository folder, its model file's last write time and no data age.
/// </summary>
public sealed class ServedModelAges(ModelManager models, IMetadataStore store, Ferry.Tracking.Lineage.LineageService lineage) : IModelAgeSource
{
    public async Task<DateTimeOffset?> ModelCreatedAsync(string model, string? version, CancellationToken cancellationToken)
    {
        if (await RegisteredAsync(model, version, cancellationToken).ConfigureAwait(false) is { } record)
        {
            return record.CreatedAt;
        }

        return Served(model, version) is { } served && File.Exists(served.Path) ? File.GetLastWriteTimeUtc(served.Path) : null;
    }

    public async Task<DateTimeOffset?> TrainingDataCreatedAsync(string model, string? version, CancellationToken cancellationToken)
    {
        if (await RegisteredAsync(model, version, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        var upstream = await lineage.UpstreamAsync(record.ModelName, record.Version, cancellationToken).ConfigureAwait(false);
        DateTimeOffset? newest = null;
        foreach (var dataset in upstream.Datasets)
        {
            // Training data is what the run logged as "train"; a version that names datasets without a run counts them all.
            if (dataset.Dataset is { } d && (dataset.Context is "train" or "training" or "model_version" || upstream.Datasets.All(x => x.Context is not ("train" or "training"))))
            {
                newest = newest is { } n && n >= d.CreatedAt ? n : d.CreatedAt;
            }
        }

        return newest;
    }

    private async Task<ModelVersionRecord?> RegisteredAsync(string model, string? version, CancellationToken cancellationToken)
    {
        var number = version is { } v && long.TryParse(v, out var n) ? n : Served(model, null)?.Version;
        return number is { } x ? await store.GetVersionAsync(model, x, cancellationToken).ConfigureAwait(false) : null;
    }

    private ModelVersion? Served(string model, string? version)
    {
        var versions = models.Versions(model);
        ModelVersion? chosen = null;
        foreach (var candidate in versions)
        {
            if (version is null ? chosen is null || candidate.Version > chosen.Version : candidate.VersionText == version)
            {
                chosen = candidate;
            }
        }

        return chosen;
    }
}
