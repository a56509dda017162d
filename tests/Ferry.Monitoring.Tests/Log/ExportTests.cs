using Ferry.Monitoring.Log;
using Parquet;

namespace Ferry.Monitoring.Tests.Log;

public sealed class ExportTests : IDisposable
{
    private readonly LogHarness _log = new();

    [Fact]
    public async Task Export_ToParquet_HoldsEveryRowAndColumn()
    {
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2012), _log.Time.GetUtcNow()), seal: true);
        var path = Path.Combine(_log.Root, "export.parquet");

        var rows = await PredictionExporter.ExportAsync(new PredictionLogReader(_log.Root), All(), path, csv: false, CancellationToken.None);

        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file);
        Assert.Equal(366, rows);
        Assert.Equal(366, Enumerable.Range(0, reader.RowGroupCount).Sum(g => reader.OpenRowGroupReader(g).RowCount));
        Assert.Contains(reader.Schema.DataFields, f => f.Name == "in.temp_max");
        Assert.Contains(reader.Schema.DataFields, f => f.Name == "model");
    }

    [Fact]
    public async Task Export_ToCsv_WritesAHeaderAndARowPerPrediction()
    {
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2013, 2013), _log.Time.GetUtcNow()), seal: true);
        var path = Path.Combine(_log.Root, "export.csv");

        await PredictionExporter.ExportAsync(new PredictionLogReader(_log.Root), All(), path, csv: true, CancellationToken.None);

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal("request_id,row,timestamp_ms,model,version,latency_ms,status,in.precipitation,in.temp_max,in.temp_min,in.weather,in.wind", lines[0]);
        Assert.Equal(1 + 365, lines.Length);
        Assert.EndsWith($",{Weather.Years(2013, 2013)[0].Kind},{Weather.Years(2013, 2013)[0].Wind:R}", lines[1]);
    }

    public void Dispose() => _log.Dispose();

    private static LogRange All() => new("weather", null, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
}
