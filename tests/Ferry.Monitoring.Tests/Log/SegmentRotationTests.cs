using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Tests.Log;

public sealed class SegmentRotationTests
{
    [Fact]
    public async Task Segment_PastItsAge_IsSealedAtTheNextFlush()
    {
        using var log = new LogHarness(o => o.MaxSegmentAge = TimeSpan.FromMinutes(10));
        await log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2012), log.Time.GetUtcNow()), seal: false);
        Assert.Empty(log.Files(SegmentFiles.SealedExtension));

        log.Time.Advance(TimeSpan.FromMinutes(10));
        await log.WriteAsync(Weather.AsPredictions(Weather.Years(2013, 2013), log.Time.GetUtcNow()), seal: false);

        var sealedSegment = Assert.Single(log.Files(SegmentFiles.SealedExtension));
        Assert.True(SegmentFiles.TryParseRange(sealedSegment, out var first, out var last));
        Assert.Equal(log.Time.GetUtcNow().AddMinutes(-10).ToUnixTimeMilliseconds(), first);
        Assert.Equal(log.Time.GetUtcNow().ToUnixTimeMilliseconds(), last);
    }

    [Fact]
    public async Task Segment_PastItsSize_IsSealed()
    {
        using var log = new LogHarness(o => o.MaxSegmentBytes = 4096);
        await log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2013), log.Time.GetUtcNow()), seal: false);

        Assert.Single(log.Files(SegmentFiles.SealedExtension));
        Assert.Empty(log.Files(SegmentFiles.OpenExtension));
    }

    [Fact]
    public async Task Query_SeesFlushedRowsOfTheOpenSegment_InProcess()
    {
        using var log = new LogHarness();
        await log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2012), log.Time.GetUtcNow()), seal: false);

        var rows = await PredictionQuery.RunAsync(log.Reader, new LogRange("weather", "1", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue), 1000, CancellationToken.None);

        Assert.Equal(366, rows.Count);
        Assert.Equal(Weather.Years(2012, 2012)[0].TempMax, (double?)rows[0].Inputs["temp_max"]);
        Assert.Equal(Weather.Years(2012, 2012)[50].Kind, rows.Single(r => r.RequestId == "req-50" && r.Row == 0).Inputs["weather"]);
    }

    [Fact]
    public async Task SealedSegment_PastTheRetention_IsDeleted_AndYoungerOnesKept()
    {
        using var log = new LogHarness(o => o.Retention = TimeSpan.FromDays(7));
        await log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2012), log.Time.GetUtcNow()), seal: true);
        log.Time.Advance(TimeSpan.FromDays(2));
        await log.WriteAsync(Weather.AsPredictions(Weather.Years(2013, 2013), log.Time.GetUtcNow()), seal: true);

        log.Time.Advance(TimeSpan.FromDays(6));
        log.Writer.ExpireOld();

        var kept = Assert.Single(log.Files(SegmentFiles.SealedExtension));
        Assert.True(SegmentFiles.TryParseRange(kept, out var first, out _));
        Assert.Equal(log.Time.GetUtcNow().AddDays(-6).ToUnixTimeMilliseconds(), first);
    }
}

/// <summary>Buffers are reused from flush to flush: nothing of an earlier flush leaks into or goes missing from a later one.</summary>
public sealed class RepeatedFlushTests : IDisposable
{
    private readonly LogHarness _log = new();

    [Fact]
    public async Task ManyFlushesOfOneModel_KeepEveryRowOnce()
    {
        var at = _log.Time.GetUtcNow();
        var predictions = Weather.AsPredictions(Weather.Years(2012, 2013), at).ToArray();
        foreach (var p in predictions)
        {
            await _log.WriteAsync([p], seal: false);
        }

        await _log.Writer.FlushAsync(seal: true, CancellationToken.None);
        var ids = new List<string>();
        var temps = new List<double>();
        await foreach (var chunk in _log.Reader.ReadAsync(new LogRange("weather", null, at, at.AddHours(1)), CancellationToken.None))
        {
            ids.AddRange(chunk.RequestIds);
            temps.AddRange((double[])chunk.Columns["in.temp_max"]);
        }

        Assert.Equal(731, ids.Count);
        Assert.Equal(Weather.Years(2012, 2013).Select(w => w.TempMax), temps);
        Assert.Equal(predictions.Length, ids.Distinct().Count());
    }

    public void Dispose() => _log.Dispose();
}
