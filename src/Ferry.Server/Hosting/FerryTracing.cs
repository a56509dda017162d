using Ferry.Inference;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ferry.Server.Hosting;

/// <summary>
/// OpenTelemetry traces of the request path (ASP.NET Core's server span, then Ferry's <c>ferry.infer</c> span with the
/// model and version), exported by OTLP. Off unless an endpoint is configured, so an untraced server pays nothing.
/// </summary>
public static class FerryTracing
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddFerryTracing(this IServiceCollection services, ServerOptions server)
    {
        var endpoint = server.OtlpEndpoint ?? Environment.GetEnvironmentVariable(EndpointVariable);
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }

        var uri = new Uri(endpoint, UriKind.Absolute);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ferry", serviceVersion: typeof(FerryTracing).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddSource(InferenceTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"))
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = uri;
                    // Port 4317 and URIs without the /v1/traces path are OTLP/gRPC collectors; the rest speak HTTP/protobuf.
                    o.Protocol = uri.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                }));
        return services;
    }
}
