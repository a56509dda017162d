using Ferry.Storage;
using Ferry.Tracking.Datasets;
using Ferry.Tracking.Lineage;
using Ferry.Tracking.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Tracking;

public static class TrackingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the metadata store (unless the host registered one already) and the tracking services. The store
    /// is the embedded SQLite file in <paramref name="home"/> unless <paramref name="store"/> names another.
    /// </summary>
    public static IServiceCollection AddFerryTracking(this IServiceCollection services, string home, string? store = null)
    {
        services.TryAddSingleton(TimeProvider.System);

        // Opened on first use: migrations run once per process. A factory cannot be async, and this runs once.
        services.TryAddSingleton<IMetadataStore>(sp =>
            MetadataStores.OpenAsync(store, home, sp.GetService<ILoggerFactory>()?.CreateLogger("Ferry.Storage"), CancellationToken.None)
                .GetAwaiter().GetResult());
        services.TryAddSingleton<TrackingService>();
        services.TryAddSingleton<DatasetService>();
        services.TryAddSingleton<LineageService>();
        return services;
    }
}
