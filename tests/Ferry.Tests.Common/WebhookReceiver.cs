using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Tests;

/// <summary>
/// A real Kestrel webhook receiver on 127.0.0.1, shared by the monitoring (alerts, sender) and delivery (deployment
/// events) tests. It checks each delivery's signature itself (HMAC-SHA256 over the raw body), records it, and answers with the status its script gives for the n-th request (1-based). A script may also hold
/// a request open until <see cref="Release"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Received> _arrivals = Channel.CreateUnbounded<Received>();
    private readonly List<Received> _received = [];
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    private WebhookReceiver(string secret, Func<int, int> script, int holdRequest)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var n = Interlocked.Increment(ref _count);
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
            var received = new Received(
                n, body, context.Request.Headers["X-Ferry-Signature"].ToString() == expected,
                context.Request.Headers["X-Ferry-Event"].ToString(), context.Request.Headers["X-Ferry-Delivery"].ToString(),
                context.Request.ContentType ?? "");
            lock (_received)
            {
                _received.Add(received);
            }

            _arrivals.Writer.TryWrite(received);
            if (n == holdRequest)
            {
                await _release.Task.WaitAsync(context.RequestAborted);
            }

            context.Response.StatusCode = script(n);
        });
    }

    public string Url { get; private set; } = "";

    public IReadOnlyList<Received> All
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(string secret, Func<int, int> script, int holdRequest = 0)
    {
        var receiver = new WebhookReceiver(secret, script, holdRequest);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>The next request to arrive, in order.</summary>
    public async Task<Received> NextAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(int Number, byte[] Body, bool SignatureValid, string Event, string Delivery, string ContentType);
}
