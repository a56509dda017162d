using Ferry.Delivery;
using Ferry.Inference;
using Ferry.Inference.Models;
using Ferry.Monitoring;
using Ferry.Monitoring.Webhooks;
using Ferry.Server.Batch;
using Ferry.Server.Delivery;
using Ferry.Server.Grpc;
using Ferry.Server.Mlflow;
using Ferry.Server.Tracking;
using Grpc.AspNetCore.Server.Model;
using Ferry.Server.Metrics;
using Ferry.Server.Monitoring;
using Ferry.Server.Registry;
using Ferry.Server.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Ferry.Server.Hosting;

public static class FerryServerExtensions
{
    /// <summary>Registers the inference engine, the model manager, metrics and the protocol endpoints' services.</summary>
    public static IServiceCollection AddFerryServer(this IServiceCollection services, ServerOptions server, InferenceOptions inference)
    {
        services.TryAddSingleton(Options.Create(server));
        services.TryAddSingleton(Options.Create(inference));
        services.TryAddSingleton(inference);
        services.TryAddSingleton<ServerInfo>();
        services.TryAddSingleton(_ =>
        {
            var registry = Prometheus.Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        services.TryAddSingleton<FerryMetrics>();
        services.TryAddSingleton<IInferenceObserver>(sp => sp.GetRequiredService<FerryMetrics>());
        services.TryAddSingleton(_ => new ModelRepository(inference.ModelRepositories));
        services.TryAddSingleton<ModelManager>();
        services.TryAddSingleton<InferenceEngine>();
        services.TryAddSingleton<Ferry.Monitoring.Alerts.IModelAgeSource, ServedModelAges>();
        services.TryAddSingleton<Ferry.Monitoring.Drift.IReferenceSource, DatasetReferences>();
        services.AddFerryRouting();
        // Configuration binds after the default folder is set, so Ferry:PredictionLog:Directory wins when given.
        services.AddFerryMonitoring(Path.Combine(server.Home, "predictions")).BindConfiguration("Ferry:PredictionLog");
        services.TryAddSingleton<PredictionLogMetrics>();
        services.AddOptions<Ferry.Monitoring.Alerts.AlertOptions>().BindConfiguration("Ferry:Alerts");
        services.TryAddSingleton<AlertMetrics>();
        services.AddFerryWebhooks().BindConfiguration(Ferry.Monitoring.Webhooks.WebhookOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ferry.Monitoring.Alerts.IAlertNotifier, AlertWebhooks>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ferry.Delivery.IDeliveryEventSink, Ferry.Delivery.WebhookDeliveryEventSink>());
        services.TryAddSingleton<WebhookMetrics>();
        services.TryAddSingleton<RuntimeMetrics>();
        services.AddHostedService<ModelLoaderService>();
        services.AddFerryBatchJobs(server.Home);
        services.AddFerryTracking(server.Home);
        services.AddFerryTracing(server);
        services.AddFerryGates(server.Home);
        services.AddProblemDetails();
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = (int)Math.Min(server.MaxRequestBodyBytes, int.MaxValue);
            o.Interceptors.Add<GrpcErrorInterceptor>();
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<InferenceGrpcService>, InferenceGrpcMethods>());
        return services;
    }

    /// <summary>Maps the REST protocol, the repository extension, gRPC and <c>/metrics</c>.</summary>
    public static WebApplication MapFerry(this WebApplication app)
    {
        app.UseMiddleware<OipExceptionMiddleware>();
        app.MapOipRest();
        app.MapModelRepository();
        app.MapBatchJobs();
        app.MapMonitoring();
        app.MapFerryRegistry();
        app.MapFerryGates();
        app.MapMlflowTracking();
        app.MapDatasets();
        app.MapLineage();
        app.MapFerryGrpc();
        app.Services.GetRequiredService<PredictionLogMetrics>();
        app.Services.GetRequiredService<AlertMetrics>();
        app.Services.GetRequiredService<WebhookMetrics>();
        app.Services.GetRequiredService<RuntimeMetrics>();
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
        app.MapFallback("/v2/{**path}", (HttpContext context) =>
            OipErrors.WriteAsync(context, StatusCodes.Status404NotFound, $"no such endpoint: {context.Request.Method} {context.Request.Path}"));

        // Inference answered ahead of routing, after every middleware added above (the inference auth among them);
        // routing runs here, not first as WebApplication would place it.
        app.UseOipInferShortcut();
        app.UseRouting();
        return app;
    }

    /// <summary>Maps the gRPC services; kept apart so the gRPC surface has one place.</summary>
    public static IEndpointRouteBuilder MapFerryGrpc(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<InferenceGrpcService>();
        return app;
    }
}
