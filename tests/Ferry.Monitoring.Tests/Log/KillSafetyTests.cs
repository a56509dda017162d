using Ferry.Monitoring.Log;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Monitoring.Tests.Log;

/// <summary>
/// What a kill leaves behind: sealed segments always open; an open segment is ignored by readers of sealed data, and
/// at the next start it is sealed when whole or set aside when torn.
/// </summary>
public sealed class KillSafetyTests : IDisposable
{
    private readonly LogHarness _log = new();

    [Fact]
    public async Task SealedSegments_AreReadableByAnotherProcess()
    {
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2012), _log.Time.GetUtcNow()), seal: true);

        Assert.Single(_log.Files(SegmentFiles.SealedExtension));
        Assert.Empty(_log.Files(SegmentFiles.OpenExtension));
        Assert.Equal(366, await CountSealedAsync());
    }

    [Fact]
    public async Task KillDuringAFlush_LeavesSealedSegmentsReadable_AndTheTornTempIgnored()
    {
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2012), _log.Time.GetUtcNow()), seal: true);
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2013, 2013), _log.Time.GetUtcNow()), seal: false);
        var open = Assert.Single(_log.Files(SegmentFiles.OpenExtension));
        // A kill in the middle of the next append: a row group's bytes written, the new footer not yet.
        await File.AppendAllTextAsync(open, "half a row group");

        Assert.Equal(366, await CountSealedAsync());
        await SegmentRecovery.RecoverAsync(_log.Root, NullLogger.Instance, CancellationToken.None);
        Assert.Single(_log.Files(SegmentFiles.CorruptExtension));
        Assert.Empty(_log.Files(SegmentFiles.OpenExtension));
        Assert.Equal(366, await CountSealedAsync());
    }

    [Fact]
    public async Task KillBetweenFlushes_LosesNothingFlushed_OnceRecovered()
    {
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2012), _log.Time.GetUtcNow()), seal: false);
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2013, 2013), _log.Time.GetUtcNow()), seal: false);

        Assert.Equal(0, await CountSealedAsync());
        await SegmentRecovery.RecoverAsync(_log.Root, NullLogger.Instance, CancellationToken.None);
        Assert.Equal(366 + 365, await CountSealedAsync());
    }

    [Fact]
    public async Task CancelledFlush_LeavesOnlyReadableSegments()
    {
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2012, 2012), _log.Time.GetUtcNow()), seal: true);
        foreach (var p in Weather.AsPredictions(Weather.Years(2013, 2013), _log.Time.GetUtcNow()))
        {
            _log.Channel.TryWrite(p);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _log.Writer.FlushAsync(false, new CancellationToken(canceled: true)));

        Assert.Equal(366, await CountSealedAsync());
        await SegmentRecovery.RecoverAsync(_log.Root, NullLogger.Instance, CancellationToken.None);
        Assert.Equal(366, await CountSealedAsync());
    }

    public void Dispose() => _log.Dispose();

    /// <summary>Rows readable by a process that is not the writer: sealed segments only, no gate.</summary>
    private async Task<long> CountSealedAsync()
    {
        var reader = new PredictionLogReader(_log.Root);
        long rows = 0;
        await foreach (var chunk in reader.ReadAsync(new LogRange("weather", null, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue), CancellationToken.None))
        {
            rows += chunk.RowCount;
        }

        return rows;
    }
}
