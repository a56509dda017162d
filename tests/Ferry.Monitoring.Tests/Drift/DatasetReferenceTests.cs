using System.Net.Http.Json;
using System.Text.Json;
using Ferry.Monitoring.Log;
using Ferry.Monitoring.Tests.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Monitoring.Tests.Drift;

/// <summary>
/// Drift against a registered dataset's stored profile, through the server: the seattle-weather years 2012-2013 are
/// registered as a dataset version, weather rows are logged as a model's predictions, and
/// <c>/api/v1/monitoring/drift?reference=dataset:weather@1</c> compares them.
/// </summary>
public sealed class DatasetReferenceTests : IClassFixture<MonitoringServerFixture>
{
    private readonly MonitoringServerFixture _server;

    public DatasetReferenceTests(MonitoringServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task RegisteredTrainingData_IsTheReference_SameYearsNoDrift_ShiftedFeatureDrifts()
    {
        var data = Path.Combine(_server.Home, "data");
        Directory.CreateDirectory(data);
        Weather.WriteCsv(Weather.Years(2012, 2013), Path.Combine(data, "weather-2012-2013.csv"));
        using (var registered = await _server.Http.PostAsJsonAsync("/api/v1/datasets", new { name = "weather", path = "weather-2012-2013.csv" }))
        {
            Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        }

        var same = _server.Time.GetUtcNow().AddDays(30);
        var shifted = same.AddHours(2);
        await LogAsync(Weather.AsPredictions(Weather.Years(2012, 2013), same));
        await LogAsync(Weather.AsPredictions(Weather.Years(2012, 2013).Select(w => w with { TempMax = w.TempMax + 8 }).ToArray(), shifted));

        var replay = await DriftAsync(same);
        Assert.Equal("dataset weather v1", replay.GetProperty("reference").GetString());
        Assert.Equal(731, replay.GetProperty("current_rows").GetInt64());
        Assert.Equal(5, replay.GetProperty("features").GetArrayLength());
        Assert.DoesNotContain(replay.GetProperty("features").EnumerateArray(), f => f.GetProperty("result").GetProperty("drifted").GetBoolean());

        var moved = await DriftAsync(shifted);
        var drifted = moved.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("result").GetProperty("drifted").GetBoolean()).Select(f => f.GetProperty("feature").GetString()!).ToArray();
        Assert.Equal(new[] { "temp_max" }, drifted);
    }

    [Fact]
    public async Task UnknownDatasetVersion_IsAClearBadRequest()
    {
        using var response = await _server.Http.GetAsync("/api/v1/monitoring/drift?model=weather&window=1h&reference=dataset:nope@3");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("dataset 'nope' has no version 3", await response.Content.ReadAsStringAsync());

        using var malformed = await _server.Http.GetAsync("/api/v1/monitoring/drift?model=weather&window=1h&reference=dataset:weather");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("dataset:NAME@VERSION", await malformed.Content.ReadAsStringAsync());
    }

    private async Task LogAsync(IEnumerable<CapturedPrediction> predictions)
    {
        // The server's own log channel and writer: rows land exactly as the tap would put them.
        var channel = _server.App.Services.GetRequiredService<PredictionChannel>();
        foreach (var p in predictions)
        {
            // The channel drops what does not fit (DropWrite: TryWrite says yes either way), so make room first.
            if (channel.Channel.Reader.Count >= channel.Capacity)
            {
                await _server.Writer.FlushAsync(seal: false, CancellationToken.None);
            }

            Assert.True(channel.TryWrite(p));
        }

        await _server.Writer.FlushAsync(seal: true, CancellationToken.None);
    }

    private async Task<JsonElement> DriftAsync(DateTimeOffset hour)
    {
        var to = hour.AddHours(1).ToUnixTimeMilliseconds();
        return await _server.Http.GetJsonAsync($"/api/v1/monitoring/drift?model=weather&window=1h&to={to}&reference=dataset:weather@1");
    }
}
