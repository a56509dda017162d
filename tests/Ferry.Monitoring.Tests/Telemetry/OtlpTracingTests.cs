using System.Collections.Concurrent;
using System.Text;
using Ferry.Monitoring.Tests.Server;
using Ferry.Server;
using Ferry.Server.Hosting;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Ferry.Monitoring.Tests.Telemetry;

/// <summary>
/// A collector stand-in: a real Kestrel endpoint on 127.0.0.1 taking OTLP/HTTP protobuf posts at <c>/v1/traces</c>
/// and keeping their bodies.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<(string ContentType, byte[] Body)> Posts { get; } = new();

    public string Endpoint => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1/traces";

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Posts.Enqueue((request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The monitoring test server, exporting traces to an <see cref="OtlpReceiver"/>.</summary>
public sealed class TracedServerFixture : MonitoringServerFixture, IAsyncLifetime
{
    public OtlpReceiver Receiver { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        Receiver = await OtlpReceiver.StartAsync();
        await StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Receiver.DisposeAsync();
    }

    protected override void ConfigureServer(WebApplicationBuilder builder)
    {
        base.ConfigureServer(builder);
        builder.Services.AddFerryTracing(new ServerOptions { OtlpEndpoint = Receiver.Endpoint });
    }
}

public sealed class OtlpTracingTests : IClassFixture<TracedServerFixture>
{
    private readonly TracedServerFixture _server;

    public OtlpTracingTests(TracedServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task AnInferenceRequest_IsExportedAsSpans_WithItsModelAndRequestId()
    {
        await _server.Http.InferClfAsync("trace-me-42", 1f);
        Assert.True(_server.App.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        var posts = _server.Receiver.Posts.ToArray();
        Assert.NotEmpty(posts);
        Assert.All(posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
        // OTLP protobuf keeps strings as UTF-8: the engine's span, its attributes, and the server span's route.
        var text = string.Join("\n", posts.Select(p => Encoding.UTF8.GetString(p.Body)));
        Assert.Contains("ferry.infer", text);
        Assert.Contains("ferry.model", text);
        Assert.Contains("trace-me-42", text);
        Assert.Contains("/v2/models/clf/infer", text);
        Assert.Contains("ferry", text);
    }
}
