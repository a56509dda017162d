using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ferry.Monitoring.Alerts;
using Ferry.Monitoring.Tests.Server;
using Ferry.Tests;
using Ferry.Monitoring.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Monitoring.Tests.Alerts;

/// <summary>The server with three alert rules on <c>clf</c>: error rate, realised accuracy and model age.</summary>
public sealed class AlertServerFixture : MonitoringServerFixture, IAsyncLifetime
{
    public const string Secret = "alert-hook-secret";

    /// <summary>A real receiver the server's webhooks post alert events to; it checks their signature.</summary>
    public WebhookReceiver Hooks { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        Hooks = await WebhookReceiver.StartAsync(Secret, _ => 200);
        await StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Hooks.DisposeAsync();
    }

    protected override void ConfigureServer(WebApplicationBuilder builder)
    {
        base.ConfigureServer(builder);
        builder.Services.Configure<WebhookOptions>(o => o.Endpoints.Add(new WebhookEndpoint { Url = Hooks.Url, Secret = Secret, Events = ["alert.*"] }));
        builder.Services.Configure<AlertOptions>(o =>
        {
            o.EvaluationInterval = TimeSpan.FromMinutes(1);
            o.Rules.Add(new AlertRule { Name = "clf-errors", Model = "clf", Kind = AlertKinds.ErrorRate, Threshold = 0.2, Window = TimeSpan.FromMinutes(10), MinSamples = 4 });
            o.Rules.Add(new AlertRule { Name = "clf-accuracy", Model = "clf", Kind = AlertKinds.Performance, Metric = "accuracy", Threshold = 0.8, Window = TimeSpan.FromHours(1), MinSamples = 4 });
            o.Rules.Add(new AlertRule { Name = "clf-age", Model = "clf", Kind = AlertKinds.Staleness, Metric = "model_age", Threshold = 30 });
        });
    }
}

public sealed class AlertTests : IClassFixture<AlertServerFixture>
{
    private readonly AlertServerFixture _server;
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    public AlertTests(AlertServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task ErrorRate_FiresOnceWhileItHolds_ThenResolves_AndShowsInMetricsAndHistory()
    {
        _server.Time.Advance(TimeSpan.FromHours(3));
        for (var i = 0; i < 4; i++)
        {
            await _server.Http.InferClfAsync($"ok-{i}", 1f);
        }

        await FlushAsync();
        Assert.Empty(await EventsAfterEvaluateAsync("clf-errors"));
        Assert.Equal(0.0, State(await AlertsAsync(), "clf-errors").GetProperty("last_value").GetDouble());

        for (var i = 0; i < 4; i++)
        {
            await InferBadShapeAsync($"bad-{i}");
        }

        await FlushAsync();
        var fired = await EventsAfterEvaluateAsync("clf-errors");
        var firing = Assert.Single(fired);
        Assert.Equal("firing", firing.GetProperty("state").GetString());
        Assert.Equal(0.5, firing.GetProperty("value").GetDouble(), 9);
        Assert.Equal(8, firing.GetProperty("samples").GetInt64());
        Assert.Contains("4 of 8 requests failed", firing.GetProperty("message").GetString());
        Assert.Equal(1.0, await GaugeAsync("ferry_alert_firing", "clf-errors"));
        var hook = await NextHookAsync("clf-errors");
        Assert.True(hook.SignatureValid);
        Assert.Equal("alert.firing", hook.Event);
        Assert.Contains("4 of 8 requests failed", Encoding.UTF8.GetString(hook.Body));

        // Still failing: no second firing while the condition holds.
        await InferBadShapeAsync("bad-more");
        await FlushAsync();
        Assert.Empty(await EventsAfterEvaluateAsync("clf-errors"));
        Assert.True(State(await AlertsAsync(), "clf-errors").GetProperty("firing").GetBoolean());

        // The window moves past the failures; healthy traffic resolves it.
        _server.Time.Advance(TimeSpan.FromMinutes(11));
        for (var i = 0; i < 4; i++)
        {
            await _server.Http.InferClfAsync($"ok-late-{i}", 0f);
        }

        await FlushAsync();
        var resolved = Assert.Single(await EventsAfterEvaluateAsync("clf-errors"));
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal(0.0, await GaugeAsync("ferry_alert_firing", "clf-errors"));
        Assert.Equal("alert.resolved", (await NextHookAsync("clf-errors")).Event);
        Assert.Equal(1.0, await GaugeAsync("ferry_alert_firings_total", "clf-errors"));

        var history = (await _server.Http.GetJsonAsync("/api/v1/monitoring/alerts/history?rule=clf-errors")).GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(new[] { "resolved", "firing" }, history.Select(e => e.GetProperty("state").GetString()!).ToArray());
    }

    [Fact]
    public async Task RealisedAccuracy_BelowThreshold_FiresFromLabelsThatArriveLater()
    {
        _server.Time.Advance(TimeSpan.FromDays(1));
        // Predictions 1, 1, 1, 1, 0; truth 1, 0, 0, 1, 0: accuracy 3/5 = 0.6 < 0.8.
        await _server.Http.InferClfAsync("acc-a", 1f, 1f, 1f, 1f, 0f);
        await FlushAsync();
        Assert.Empty(await EventsAfterEvaluateAsync("clf-accuracy"));

        _server.Time.Advance(TimeSpan.FromMinutes(20));
        await _server.Http.PostLabelsAsync(new[] { 1, 0, 0, 1, 0 }.Select((label, row) => new { request_id = "acc-a", row, label }).ToArray());
        var firing = Assert.Single(await EventsAfterEvaluateAsync("clf-accuracy"));
        Assert.Equal("firing", firing.GetProperty("state").GetString());
        Assert.Equal(0.6, firing.GetProperty("value").GetDouble(), 9);
        Assert.Equal("<", firing.GetProperty("op").GetString());
    }

    [Fact]
    public async Task ModelAge_PastTheLimit_Fires()
    {
        var model = Path.Combine(_server.Repository, "clf", "1", "model.onnx");
        File.SetLastWriteTimeUtc(model, _server.Time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(10));
        await EvaluateAsync();
        var state = State(await AlertsAsync(), "clf-age");
        Assert.False(state.GetProperty("firing").GetBoolean());
        Assert.Equal(10, state.GetProperty("last_value").GetDouble(), 3);

        _server.Time.Advance(TimeSpan.FromDays(25));
        var firing = Assert.Single(await EventsAfterEvaluateAsync("clf-age"));
        Assert.True(firing.GetProperty("value").GetDouble() > 30);
    }

    [Fact]
    public async Task TheTimer_EvaluatesOnTheClock_WithoutBeingAsked()
    {
        var before = (await _server.Http.GetJsonAsync("/api/v1/monitoring/alerts")).GetProperty("alerts")[2].GetProperty("last_evaluated");
        _server.Time.Advance(TimeSpan.FromMinutes(1));
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var after = State(await AlertsAsync(), "clf-age").GetProperty("last_evaluated");
            if (after.ValueKind != JsonValueKind.Null && after.ToString() != before.ToString())
            {
                return;
            }

            // The loop runs on another thread once the fake clock ticks; give it a moment (no clock is being waited on).
            await Task.Yield();
            await Task.Delay(10);
        }

        Assert.Fail("the alert loop did not evaluate after the interval elapsed");
    }

    private async Task InferBadShapeAsync(string id)
    {
        var body = $$"""{"id": "{{id}}", "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1, 2]}]}""";
        using var response = await _server.Http.PostAsync("/v2/models/clf/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>The next webhook delivery about <paramref name="rule"/> (other tests' rules post to the same receiver).</summary>
    private async Task<WebhookReceiver.Received> NextHookAsync(string rule)
    {
        while (true)
        {
            var received = await _server.Hooks.NextAsync();
            if (Encoding.UTF8.GetString(received.Body).Contains($"\"rule\":\"{rule}\"", StringComparison.Ordinal))
            {
                return received;
            }
        }
    }

    private Task FlushAsync() => _server.Writer.FlushAsync(seal: false, CancellationToken.None);

    private async Task<JsonElement> EvaluateAsync()
    {
        using var response = await _server.Http.PostAsync("/api/v1/monitoring/alerts/evaluate", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> AlertsAsync() => await _server.Http.GetJsonAsync("/api/v1/monitoring/alerts");

    /// <summary>
    /// The rule's events raised since the previous call, oldest first, read from the history: after a clock advance
    /// the background timer may evaluate before the explicit call does, and either one records the change.
    /// </summary>
    private async Task<JsonElement[]> EventsAfterEvaluateAsync(string rule)
    {
        await EvaluateAsync();
        var history = (await _server.Http.GetJsonAsync($"/api/v1/monitoring/alerts/history?rule={rule}&limit=1000"))
            .GetProperty("events").EnumerateArray().Reverse().ToArray();
        var seen = _seen.GetValueOrDefault(rule);
        _seen[rule] = history.Length;
        return history[seen..];
    }

    private static JsonElement State(JsonElement alerts, string rule) =>
        alerts.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("rule").GetProperty("name").GetString() == rule);

    private async Task<double> GaugeAsync(string metric, string rule)
    {
        var text = await _server.Http.GetStringAsync("/metrics");
        var prefix = metric + "{";
        var line = text.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains($"rule=\"{rule}\"", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
