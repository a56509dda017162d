using Ferry.Delivery.Control;
using Ferry.Delivery.Experiments;
using Ferry.Delivery.Live;
using Ferry.Delivery.Routing;
using Ferry.Delivery.Shadow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Ferry.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// The data plane's part: the router, the live stats and the shadow dispatcher. Always added, so that the
    /// inference endpoints can ask the router even when no deployment (or no registry) exists.
    /// </summary>
    public static IServiceCollection AddFerryRouting(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new DeliveryOptions());
        services.TryAddSingleton<DeploymentRouter>();
        services.TryAddSingleton<LiveStats>();
        services.TryAddSingleton<ShadowDispatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ShadowDispatcher>(sp => sp.GetRequiredService<ShadowDispatcher>()));
        return services;
    }

    /// <summary>
    /// The control plane's part: deployments over the registry, the controller, the log sink (the host adds others, such
    /// as webhooks, with <c>TryAddEnumerable</c>: every sink hears every transition). Needs the registry.
    /// </summary>
    public static IServiceCollection AddFerryDelivery(this IServiceCollection services)
    {
        services.AddFerryRouting();
        services.TryAddSingleton<IDeploymentServing, RegistryDeploymentServing>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryEventSink, LoggingDeliveryEventSink>());
        services.TryAddSingleton(new Statistics.ExperimentPolicy());
        services.TryAddSingleton<IExperimentAnalyzer, SignificanceExperimentAnalyzer>();
        services.TryAddSingleton<RoutingTableBuilder>();
        services.TryAddSingleton<DeploymentService>();
        services.TryAddSingleton<DeploymentController>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DeploymentController>(sp => sp.GetRequiredService<DeploymentController>()));
        return services;
    }
}
