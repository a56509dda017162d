using Ferry.Batch;
using Ferry.Batch.Models;
using Ferry.Inference.Models;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Ferry.Tracking.Batch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ferry.Server.Batch;

public static class BatchServiceCollectionExtensions
{
    /// <summary>
    /// Registers the batch job service: models resolve from the server's repositories and, when the registry is added,
    /// from the registry; every job is recorded as a tracking run in the metadata store.
    /// </summary>
    public static IServiceCollection AddFerryBatchJobs(this IServiceCollection services, string home)
    {
        services.AddOptions<BatchJobsOptions>().Configure(o =>
        {
            if (o.DataRoot.Length == 0)
            {
                o.DataRoot = Path.Combine(home, "data");
            }
        });
        // With the registry, NAME@ALIAS and registered names resolve through it (repository models first, as in serving).
        services.TryAddSingleton<IModelResolver>(sp => sp.GetService<IBlobStore>() is { } blobs
            ? new RegistryModelResolver(sp.GetRequiredService<IMetadataStore>(), blobs, Path.Combine(home, "cache", "models"), sp.GetRequiredService<ModelRepository>())
            : new RepositoryModelResolver(sp.GetRequiredService<ModelRepository>()));
        services.TryAddSingleton(sp => new BatchRunner(
            sp.GetRequiredService<IModelResolver>(),
            new DeferredObserver(() => new TrackingBatchObserver(sp.GetRequiredService<IMetadataStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System))));
        services.TryAddSingleton<BatchJobService>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchJobService>());
        return services;
    }

    /// <summary>Opens the metadata store with the first job, not when the job service starts with the host.</summary>
    private sealed class DeferredObserver(Func<IBatchRunObserver> create) : IBatchRunObserver
    {
        private readonly Lazy<IBatchRunObserver> _inner = new(create);

        public Task<IBatchRunRecord> StartedAsync(BatchRunStart start, CancellationToken cancellationToken) => _inner.Value.StartedAsync(start, cancellationToken);
    }
}
