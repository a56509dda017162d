using System.Net;
using Ferry.Inference;
using Ferry.Inference.Batching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Hosting;

/// <summary>Builds the Ferry web host: Kestrel with an HTTP/1.1 port for REST and an HTTP/2 port for gRPC.</summary>
public static class FerryHost
{
    public static WebApplication Create(ServerOptions server, InferenceOptions inference, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        // This logger writes only per-request Information lines, filtered out above; but while any level of it is
        // enabled, hosting starts an Activity and a logging scope for every request (~1 µs of a 40 µs inference).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (server.InlineIo)
        {
            UseInlineIo(builder);
        }

        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
            Listen(kestrel, server.Host, server.HttpPort, HttpProtocols.Http1);
            if (server.GrpcPort >= 0)
            {
                Listen(kestrel, server.Host, server.GrpcPort, HttpProtocols.Http2);
            }
        });
        builder.Services.AddFerryServer(server, inference);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapFerry();
        return app;
    }

    /// <summary>The ports Kestrel bound, in the order configured (HTTP, then gRPC); useful when asked for port 0.</summary>
    public static IReadOnlyList<int> BoundPorts(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal)).Port)
            .ToArray();

    /// <summary>
    /// Socket completions run on the socket engine's threads (the runtime reads this variable once, before the first
    /// socket operation of the process) and Kestrel runs the application where its transport completes.
    /// </summary>
    public static void UseInlineIo(WebApplicationBuilder builder)
    {
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port, HttpProtocols protocols)
    {
        Action<ListenOptions> configure = o =>
        {
            o.Protocols = protocols;
            // Open connections size the dynamic batcher's batches (ClientConnections); counted once per connection.
            o.Use(next => async connection =>
            {
                ClientConnections.Opened();
                try
                {
                    await next(connection);
                }
                finally
                {
                    ClientConnections.Closed();
                }
            });
        };
        if (host is "localhost")
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (host is "*" or "0.0.0.0" or "::" or "")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else if (IPAddress.TryParse(host, out var address))
        {
            kestrel.Listen(address, port, configure);
        }
        else
        {
            throw new ArgumentException($"--host must be an IP address, localhost or 0.0.0.0, not '{host}'", nameof(host));
        }
    }
}
