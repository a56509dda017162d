using Ferry.Monitoring.Tests.Server;

namespace Ferry.Monitoring.Tests.Performance;

/// <summary>Labels arrive an hour after the predictions (simulated time) and give each window its own accuracy.</summary>
public sealed class DelayedLabelTests : IClassFixture<MonitoringServerFixture>
{
    private readonly MonitoringServerFixture _server;

    public DelayedLabelTests(MonitoringServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task LabelsAnHourLater_GiveTheRightAccuracyPerWindow()
    {
        var start = _server.Time.GetUtcNow();
        // Window 1: four predictions (1, 1, 0, 0); window 2: two (1, 0). The clf model predicts its input.
        await _server.Http.InferClfAsync("w1-a", 1f, 1f);
        await _server.Http.InferClfAsync("w1-b", 0f, 0f);
        _server.Time.Advance(TimeSpan.FromHours(1));
        await _server.Http.InferClfAsync("w2-a", 1f, 0f);
        await _server.Writer.FlushAsync(seal: true, CancellationToken.None);

        _server.Time.Advance(TimeSpan.FromHours(1));
        await _server.Http.PostLabelsAsync(new object[]
        {
            new { request_id = "w1-a", row = 0, label = 1 },
            new { request_id = "w1-a", row = 1, label = 0 },
            new { request_id = "w1-b", row = 0, label = 0 },
            new { request_id = "w1-b", row = 1, label = 0 },
        });
        await _server.Http.PostLabelsAsync(new { request_id = "w2-a", label = 0 });
        await _server.Http.PostLabelsAsync(new[] { new { request_id = "w2-a", row = 1, label = 0 } });

        var from = start.ToUnixTimeMilliseconds();
        var report = await _server.Http.GetJsonAsync($"/api/v1/monitoring/performance?model=clf&window=1h&from={from}&to={from + (2 * 3_600_000) - 1}");

        var windows = report.GetProperty("windows").EnumerateArray().ToArray();
        Assert.Equal("classification", report.GetProperty("task").GetString());
        Assert.Equal(2, windows.Length);
        Assert.Equal(4, windows[0].GetProperty("labelled").GetInt64());
        Assert.Equal(0.75, windows[0].GetProperty("metrics").GetProperty("accuracy").GetDouble(), 9);
        Assert.Equal(0.5, windows[0].GetProperty("metrics").GetProperty("precision").GetDouble(), 9);
        Assert.Equal(1.0, windows[0].GetProperty("metrics").GetProperty("recall").GetDouble(), 9);
        Assert.Equal(0.5, windows[1].GetProperty("metrics").GetProperty("accuracy").GetDouble(), 9);
        Assert.Equal("degrading", report.GetProperty("trend").GetProperty("direction").GetString());
    }
}
