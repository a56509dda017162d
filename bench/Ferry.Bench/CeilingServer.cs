using System.Buffers;
using System.Net;
using Ferry.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Bench;

/// <summary>
/// The ceiling: a minimal Kestrel endpoint that reads the request body and answers a fixed inference response.
/// No server can answer faster over the same HTTP stack, so Ferry's throughput is quoted as a share of it.
/// </summary>
internal static class CeilingServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = Arguments.GetInt(args, "--port", 9100);
        var response = await File.ReadAllBytesAsync(Arguments.Get(args, "--response"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (args.Contains("--inline-io"))
        {
            // Like for like with `ferry serve --inline-io` (FerryHost.UseInlineIo).
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }

        // Kestrel's memory as Ferry has it (FerryHost): large receive blocks, so a large body takes a few receives.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        // Milliseconds spent compiling so far, as Ferry's /metrics gives its own: the benchmark warms each server until
        // the JIT takes a negligible share of a round.
        app.MapGet("/jit", () => ((long)System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.MapPost("/v2/models/{name}/infer", async (HttpContext context) =>
        {
            // Read the body as a real server must (into a pooled buffer, as Ferry does), then answer the same bytes.
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (await context.Request.Body.ReadAsync(buffer) > 0)
                {
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            context.Response.ContentType = "application/json";
            context.Response.ContentLength = response.Length;
            await context.Response.Body.WriteAsync(response);
        });
        await app.RunAsync();
        return 0;
    }
}
