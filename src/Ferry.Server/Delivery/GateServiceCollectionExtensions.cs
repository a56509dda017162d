using Ferry.Delivery.Gates;
using Ferry.Tracking.Datasets;
using Ferry.Tracking.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Delivery;

public static class GateServiceCollectionExtensions
{
    /// <summary>Adds the <see cref="GateService"/>, working in <c>&lt;home&gt;/cache/gates</c>. It needs the registry (AddFerryRegistry).</summary>
    public static IServiceCollection AddFerryGates(this IServiceCollection services, string home)
    {
        services.TryAddSingleton(new GateOptions { WorkDirectory = Path.Combine(home, "cache", "gates") });
        services.TryAddSingleton(sp => new GateService(
            sp.GetRequiredService<ModelRegistry>(),
            sp.GetRequiredService<DatasetService>(),
            sp.GetRequiredService<GateOptions>(),
            sp.GetRequiredService<ILogger<GateService>>()));
        return services;
    }

    /// <summary>Maps <c>/api/v1/gates</c>; does nothing when the host has no registry, since gates check registered versions.</summary>
    public static WebApplication MapFerryGates(this WebApplication app)
    {
        // RegistryOptions is registered with the registry; asking for it does not open the store at map time.
        if (app.Services.GetService<Ferry.Server.Registry.RegistryOptions>() is null)
        {
            return app;
        }

        app.MapGateApi();
        return app;
    }
}
