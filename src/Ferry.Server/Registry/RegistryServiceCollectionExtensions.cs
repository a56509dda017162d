using Ferry.Delivery;
using Ferry.Inference.Models;
using Ferry.Server.Mlflow;
using Ferry.Server.Delivery;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Ferry.Tracking.Auth;
using Ferry.Tracking.Registry;
using Ferry.Tracking.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Registry;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>Adds the registry, its serving through the model manager, tokens and the OpenAPI document.</summary>
    /// <remarks>The caller opened <paramref name="backend"/> and disposes it after the host.</remarks>
    public static IServiceCollection AddFerryRegistry(this IServiceCollection services, RegistryBackend backend, RegistryOptions options)
    {
        services.TryAddSingleton(backend);

        // The registry's store is the store: tracking registers an embedded default first, which this replaces so
        // that runs, datasets and model versions live in one place (lineage joins them).
        services.Replace(ServiceDescriptor.Singleton(backend.Store));
        services.Replace(ServiceDescriptor.Singleton(backend.Blobs));
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton(sp => new RegistryServing(
            sp.GetRequiredService<IMetadataStore>(),
            sp.GetRequiredService<IBlobStore>(),
            sp.GetRequiredService<ModelManager>(),
            new RegistryServingOptions { DefaultAlias = options.DefaultAlias, CacheDirectory = Path.Combine(backend.Home, "cache", "models") },
            sp.GetRequiredService<ILogger<RegistryServing>>()));
        services.AddMlflowArtifacts();
        services.AddHostedService<RegistryPollingService>();
        services.AddFerryDelivery();
        services.TryAddSingleton<Delivery.DeploymentStatusFactory>();
        services.AddOpenApi();
        return services;
    }

    /// <summary>Maps the management API and <c>/openapi/v1.json</c>; does nothing when no registry was added.</summary>
    public static WebApplication MapFerryRegistry(this WebApplication app)
    {
        var options = app.Services.GetService<RegistryOptions>();
        if (options is null)
        {
            return app;
        }

        if (options.Auth && options.ProtectInference)
        {
            app.UseMiddleware<InferenceAuthMiddleware>();
        }

        app.MapOpenApi();
        app.MapRegistryApi();
        app.MapMlflowRegistry();
        app.MapDeploymentApi();
        return app;
    }
}
