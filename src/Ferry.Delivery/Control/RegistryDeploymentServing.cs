using Ferry.Inference.Models;
using Ferry.Storage;
using Ferry.Tracking.Serving;

namespace Ferry.Delivery.Control;

/// <summary>Takes registered versions' files from the registry's artifact cache and publishes them to the model manager.</summary>
public sealed class RegistryDeploymentServing(RegistryServing registry, ModelManager models, IMetadataStore store) : IDeploymentServing
{
    public async Task PublishAsync(string deployment, string model, IReadOnlyList<long> versions, long defaultVersion, CancellationToken cancellationToken)
    {
        var sources = new List<PublishedVersion>(versions.Count);
        foreach (var version in versions)
        {
            var path = await registry.LocalPathAsync(model, version, cancellationToken).ConfigureAwait(false)
                ?? throw FerryException.NotFound($"model '{model}' has no version {version}");
            sources.Add(new PublishedVersion(version, path));
        }

        await models.PublishAsync(deployment, sources, defaultVersion, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsModelNameAsync(string name, CancellationToken cancellationToken) =>
        models.Repository.FindModel(name) is not null
        || await store.GetModelAsync(name, cancellationToken).ConfigureAwait(false) is not null;
}
