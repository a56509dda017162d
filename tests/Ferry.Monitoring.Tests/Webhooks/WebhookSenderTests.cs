using Ferry.Tests;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Ferry.Monitoring.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Monitoring.Tests.Webhooks;

/// <summary>
/// The sender against a real Kestrel receiver; retries are driven by a fake clock, and each step waits on the
/// sender's own attempt signal (raised once a retry's timer is armed), never on a wall-clock sleep.
/// </summary>
public sealed class WebhookSenderTests
{
    private const string Secret = "s3cret-shared";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly Channel<WebhookAttempt> _attempts = Channel.CreateUnbounded<WebhookAttempt>();

    [Fact]
    public async Task Deliver_FailsTwiceThenAccepted_RetriesWithExponentialBackoffOnTheFakeClock()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, n => n <= 2 ? 503 : 204);
        using var http = new HttpClient();
        var sender = Sender(http, receiver.Url, o => o.InitialBackoff = TimeSpan.FromSeconds(2));
        await sender.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(sender.TryPublish("deployment.promoted", new JsonObject { ["deployment"] = "fraud", ["version"] = 7 }));

            var first = await NextAttemptAsync();
            Assert.Equal((1, 503, WebhookOutcome.WillRetry, TimeSpan.FromSeconds(2)), (first.Attempt, first.StatusCode, first.Outcome, first.RetryIn!.Value));
            Assert.Single(receiver.All);
            _time.Advance(TimeSpan.FromSeconds(2));

            var second = await NextAttemptAsync();
            Assert.Equal((2, 503, WebhookOutcome.WillRetry, TimeSpan.FromSeconds(4)), (second.Attempt, second.StatusCode, second.Outcome, second.RetryIn!.Value));
            Assert.Equal(2, receiver.All.Count);
            _time.Advance(TimeSpan.FromSeconds(4));

            var third = await NextAttemptAsync();
            Assert.Equal((3, 204, WebhookOutcome.Delivered), (third.Attempt, third.StatusCode, third.Outcome));

            var all = receiver.All;
            Assert.Equal(3, all.Count);
            Assert.All(all, r => Assert.True(r.SignatureValid, "the receiver's own HMAC check"));
            Assert.All(all, r => Assert.Equal("deployment.promoted", r.Event));
            Assert.All(all, r => Assert.StartsWith("application/json", r.ContentType));
            Assert.Single(all.Select(r => r.Delivery).Distinct());
            Assert.Equal(first.EventId, all[0].Delivery);
            Assert.Single(all.Select(r => Convert.ToBase64String(r.Body)).Distinct());
            var body = JsonNode.Parse(all[0].Body)!;
            Assert.Equal("deployment.promoted", (string)body["type"]!);
            Assert.Equal(first.EventId, (string)body["id"]!);
            Assert.Equal(7, (int)body["data"]!["version"]!);
            Assert.Equal(_time.Start, body["occurredAt"]!.GetValue<DateTimeOffset>());

            Assert.Equal(new WebhookCounts(Enqueued: 1, Dropped: 0, Attempts: 3, Delivered: 1, Rejected: 0, GaveUp: 0), sender.Stats.Snapshot());
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Deliver_4xx_IsNotRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, n => n == 1 ? 400 : 200);
        using var http = new HttpClient();
        var sender = Sender(http, receiver.Url);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            sender.TryPublish("alert.fired", new JsonObject { ["rule"] = "drift" });
            var rejected = await NextAttemptAsync();
            Assert.Equal((1, 400, WebhookOutcome.Rejected), (rejected.Attempt, rejected.StatusCode, rejected.Outcome));
            Assert.Null(rejected.RetryIn);

            // Time passes well beyond any backoff; the next request the receiver sees is the next event's.
            _time.Advance(TimeSpan.FromMinutes(10));
            sender.TryPublish("alert.resolved", null);
            var next = await NextAttemptAsync();
            Assert.Equal(WebhookOutcome.Delivered, next.Outcome);
            Assert.NotEqual(rejected.EventId, next.EventId);
            Assert.Equal(["alert.fired", "alert.resolved"], receiver.All.Select(r => r.Event));
            Assert.Equal(new WebhookCounts(2, 0, 2, 1, 1, 0), sender.Stats.Snapshot());
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Deliver_AlwaysFailing_GivesUpAfterMaxAttempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, _ => 500);
        using var http = new HttpClient();
        var sender = Sender(http, receiver.Url, o => o.MaxAttempts = 3);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            sender.TryPublish("deployment.aborted", null);
            for (var i = 1; i <= 2; i++)
            {
                var retry = await NextAttemptAsync();
                Assert.Equal(WebhookOutcome.WillRetry, retry.Outcome);
                _time.Advance(retry.RetryIn!.Value);
            }

            var last = await NextAttemptAsync();
            Assert.Equal((3, 500, WebhookOutcome.GaveUp), (last.Attempt, last.StatusCode, last.Outcome));
            Assert.Equal(3, receiver.All.Count);
            Assert.Equal(1, sender.Stats.Snapshot().GaveUp);
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Deliver_NoAnswerWithinTimeout_IsRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, _ => 200, holdRequest: 1);
        using var http = new HttpClient();
        var sender = Sender(http, receiver.Url, o => o.Timeout = TimeSpan.FromSeconds(5));
        await sender.StartAsync(CancellationToken.None);
        try
        {
            sender.TryPublish("deployment.paused", null);
            await receiver.NextAsync();
            _time.Advance(TimeSpan.FromSeconds(5));

            var timedOut = await NextAttemptAsync();
            Assert.Equal((1, (int?)null, WebhookOutcome.WillRetry), (timedOut.Attempt, timedOut.StatusCode, timedOut.Outcome));
            Assert.Contains("no answer within 5 s", timedOut.Error);
            _time.Advance(timedOut.RetryIn!.Value);

            var delivered = await NextAttemptAsync();
            Assert.Equal((2, 200, WebhookOutcome.Delivered), (delivered.Attempt, delivered.StatusCode, delivered.Outcome));
        }
        finally
        {
            receiver.Release();
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task HostSender_HostClockJumpsHoursDuringAPost_TheDeliveryIsNotCancelled_AndIsStampedWithTheHostClock()
    {
        // A server whose clock is a test's: the clock moves by hours while a POST is in flight (alert tests do this).
        await using var receiver = await WebhookReceiver.StartAsync(Secret, _ => 204, holdRequest: 1);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddFerryWebhooks().Configure(o =>
        {
            o.Endpoints = [new WebhookEndpoint { Url = receiver.Url, Secret = Secret }];
            o.Timeout = TimeSpan.FromSeconds(10);
        });
        await using var provider = services.BuildServiceProvider();
        var sender = provider.GetRequiredService<WebhookSender>();
        sender.AttemptFinished += a => _attempts.Writer.TryWrite(a);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            var publishedAt = _time.GetUtcNow();
            Assert.True(sender.TryPublish("alert.firing", new JsonObject { ["rule"] = "r" }));
            await receiver.NextAsync();
            _time.Advance(TimeSpan.FromHours(3));
            receiver.Release();

            var attempt = await NextAttemptAsync();
            Assert.Equal((1, (int?)204, WebhookOutcome.Delivered), (attempt.Attempt, attempt.StatusCode, attempt.Outcome));
            Assert.Single(receiver.All);
            Assert.Equal(publishedAt, DateTimeOffset.Parse((string)JsonNode.Parse(receiver.All[0].Body)!["occurredAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            receiver.Release();
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Deliver_ConnectionRefused_IsRetriedThenGivenUp()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();
        var sender = Sender(http, $"http://127.0.0.1:{port}/hook", o => o.MaxAttempts = 2);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            sender.TryPublish("deployment.promoted", null);
            var first = await NextAttemptAsync();
            Assert.Equal(WebhookOutcome.WillRetry, first.Outcome);
            Assert.Null(first.StatusCode);
            Assert.False(string.IsNullOrEmpty(first.Error));
            _time.Advance(first.RetryIn!.Value);
            Assert.Equal(WebhookOutcome.GaveUp, (await NextAttemptAsync()).Outcome);
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Publish_QueueFull_DropsAndCounts()
    {
        using var http = new HttpClient();
        var sender = Sender(http, "http://127.0.0.1:9/hook", o => o.QueueCapacity = 2);

        Assert.True(sender.TryPublish("a", null));
        Assert.True(sender.TryPublish("b", null));
        Assert.False(sender.TryPublish("c", null));

        Assert.Equal(new WebhookCounts(2, 1, 0, 0, 0, 0), sender.Stats.Snapshot());
    }

    [Fact]
    public void Publish_EventNoEndpointWants_IsNotQueued()
    {
        using var http = new HttpClient();
        var sender = Sender(http, "http://127.0.0.1:9/hook", o => o.Endpoints[0].Events = ["deployment.*"]);

        Assert.True(sender.TryPublish("deployment.promoted", null));
        Assert.False(sender.TryPublish("alert.fired", null));
        Assert.Equal(1, sender.Stats.Snapshot().Enqueued);
    }

    [Fact]
    public void Backoff_DoublesAndIsCapped()
    {
        var options = new WebhookOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(10) };

        Assert.Equal([1, 2, 4, 8, 10, 10], Enumerable.Range(1, 6).Select(a => WebhookSender.Backoff(options, a).TotalSeconds));
    }

    [Fact]
    public void Validator_ReportsEveryBadSetting()
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions
        {
            Endpoints = [new WebhookEndpoint { Url = "ftp://x", Secret = "" }],
            MaxAttempts = 0,
            QueueCapacity = 0,
        });

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        Assert.Contains(failures, f => f.Contains("Endpoints:0:Url"));
        Assert.Contains(failures, f => f.Contains("Endpoints:0:Secret"));
        Assert.Contains(failures, f => f.Contains("MaxAttempts"));
        Assert.Contains(failures, f => f.Contains("QueueCapacity"));
    }

    [Fact]
    public void Signature_MatchesAnIndependentHmacAndRejectsTampering()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { id = "1", type = "x" });
        var header = WebhookSignature.Compute(Secret, body);

        Assert.Equal("sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret), body)), header);
        Assert.True(WebhookSignature.Verify(Secret, body, header));
        body[^2] ^= 1;
        Assert.False(WebhookSignature.Verify(Secret, body, header));
        Assert.False(WebhookSignature.Verify("other", body, WebhookSignature.Compute(Secret, body)));
    }

    private WebhookSender Sender(HttpClient http, string url, Action<WebhookOptions>? configure = null)
    {
        var options = new WebhookOptions { Endpoints = [new WebhookEndpoint { Url = url, Secret = Secret }] };
        configure?.Invoke(options);
        var sender = new WebhookSender(http, Options.Create(options), _time, NullLogger<WebhookSender>.Instance);
        sender.AttemptFinished += a => _attempts.Writer.TryWrite(a);
        return sender;
    }

    private async Task<WebhookAttempt> NextAttemptAsync() => await _attempts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
}
