using System.Globalization;
using System.Net.Http.Json;
using Ferry.Monitoring.Tests.Server;

namespace Ferry.Monitoring.Tests.Performance;

/// <summary>
/// Performance from labels follows a model's prediction when no output is named, not whatever output comes first: an
/// ML.NET export answers its inputs passed through before its <c>Score.output</c>.
/// </summary>
public sealed class PredictionOutputTests : IClassFixture<MonitoringServerFixture>
{
    private readonly MonitoringServerFixture _server;

    public PredictionOutputTests(MonitoringServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Regression_WithTheInputPassedThroughFirst_IsMeasuredOnTheScore()
    {
        _server.Time.Advance(TimeSpan.FromHours(2)); // clear of the other test's window
        var start = _server.Time.GetUtcNow();
        // km 1.5, 2.25, 3: the model scores 3, 4.5, 6; the labels are 3, 4.5, 7. On the score the MAE is 1/3 (on km, 7.75/3).
        using var response = await _server.Http.PostAsJsonAsync("/v2/models/fare/infer", new
        {
            id = "trip-1",
            inputs = new[] { new { name = "km", datatype = "FP32", shape = new[] { 3, 1 }, data = new[] { 1.5f, 2.25f, 3f } } },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await _server.Writer.FlushAsync(seal: true, CancellationToken.None);
        await _server.Http.PostLabelsAsync(new object[]
        {
            new { request_id = "trip-1", row = 0, label = 3.0 },
            new { request_id = "trip-1", row = 1, label = 4.5 },
            new { request_id = "trip-1", row = 2, label = 7.0 },
        });

        var from = start.ToUnixTimeMilliseconds();
        var report = await _server.Http.GetJsonAsync(
            $"/api/v1/monitoring/performance?model=fare&window=1h&from={from.ToString(CultureInfo.InvariantCulture)}&to={(from + 3_600_000 - 1).ToString(CultureInfo.InvariantCulture)}");

        Assert.Equal("Score.output", report.GetProperty("output").GetString());
        Assert.Equal("regression", report.GetProperty("task").GetString());
        var window = Assert.Single(report.GetProperty("windows").EnumerateArray());
        Assert.Equal(3, window.GetProperty("labelled").GetInt64());
        Assert.Equal(1.0 / 3, window.GetProperty("metrics").GetProperty("mae").GetDouble(), 6);
    }

    [Fact]
    public async Task ANamedOutput_IsMeasuredAsNamed()
    {
        _server.Time.Advance(TimeSpan.FromHours(2)); // clear of the other test's window
        var start = _server.Time.GetUtcNow();
        using var response = await _server.Http.PostAsJsonAsync("/v2/models/fare/infer", new
        {
            id = "trip-2",
            inputs = new[] { new { name = "km", datatype = "FP32", shape = new[] { 2, 1 }, data = new[] { 5.5f, 6.5f } } },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await _server.Writer.FlushAsync(seal: true, CancellationToken.None);
        await _server.Http.PostLabelsAsync(new object[] { new { request_id = "trip-2", row = 0, label = 5.5 }, new { request_id = "trip-2", row = 1, label = 8.5 } });

        var from = start.ToUnixTimeMilliseconds();
        var report = await _server.Http.GetJsonAsync(
            $"/api/v1/monitoring/performance?model=fare&output=km.output&window=1h&from={from.ToString(CultureInfo.InvariantCulture)}&to={(from + 3_600_000 - 1).ToString(CultureInfo.InvariantCulture)}");

        Assert.Equal("km.output", report.GetProperty("output").GetString());
        var window = Assert.Single(report.GetProperty("windows").EnumerateArray());
        Assert.Equal(1.0, window.GetProperty("metrics").GetProperty("mae").GetDouble(), 6);
    }
}
