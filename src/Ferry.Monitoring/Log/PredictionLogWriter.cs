using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Log;

/// <summary>
/// Drains the channel into per-segment buffers and, every <see cref="PredictionLogOptions.FlushInterval"/>, appends
/// them to open segments, seals those past their size or age and deletes those past the retention. A failed write
/// (disk full, folder unwritable) is counted and logged and its rows are dropped: the data plane never sees it.
/// </summary>
public sealed class PredictionLogWriter : BackgroundService
{
    /// <summary>Rows buffered before a flush is forced ahead of the timer, which bounds the writer's memory.</summary>
    private const int MaxBufferedRows = 100_000;

    /// <summary>Flushes a buffer may sit empty before its arrays go back to the pool (a model no longer called).</summary>
    private const int IdleFlushesBeforeRelease = 3;

    /// <summary>
    /// After draining, the writer rests this long before waiting for more, so that under load it wakes a few times a
    /// second for many predictions instead of once per prediction (the channel holds what arrives meanwhile).
    /// </summary>
    private static readonly TimeSpan DrainPause = TimeSpan.FromMilliseconds(100);

    private readonly PredictionChannel _channel;
    private readonly PredictionLogOptions _options;
    private readonly PredictionLogStats _stats;
    private readonly SegmentGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictionLogWriter> _logger;
    private readonly Dictionary<string, SegmentBuffer> _buffers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OpenSegment> _open = new(StringComparer.Ordinal);
    private readonly System.Text.StringBuilder _key = new();
    private int _buffered;

    public PredictionLogWriter(PredictionChannel channel, IOptions<PredictionLogOptions> options, PredictionLogStats stats, SegmentGate gate, TimeProvider time, ILogger<PredictionLogWriter> logger)
    {
        _channel = channel;
        _options = options.Value;
        _stats = stats;
        _gate = gate;
        _time = time;
        _logger = logger;
    }

    /// <summary>Drains the channel and appends every buffered row; with <paramref name="seal"/>, seals every open segment too.</summary>
    public async Task FlushAsync(bool seal, CancellationToken cancellationToken)
    {
        await _gate.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Drain();
            await AppendAllAsync(cancellationToken).ConfigureAwait(false);
            Rotate(seal);
        }
        finally
        {
            _gate.Lock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SegmentRecovery.RecoverAsync(_options.Directory, _logger, stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        Task<bool>? ready = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                ready ??= _channel.Channel.Reader.WaitToReadAsync(stoppingToken).AsTask();
                var done = await Task.WhenAny(ready, tick).ConfigureAwait(false);
                if (done == tick)
                {
                    await tick.ConfigureAwait(false);
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                    await FlushAsync(seal: false, stoppingToken).ConfigureAwait(false);
                    ExpireOld();
                }
                else
                {
                    await ready.ConfigureAwait(false);
                    ready = null;
                    if (DrainUnderGate() >= MaxBufferedRows)
                    {
                        await FlushAsync(seal: false, stoppingToken).ConfigureAwait(false);
                    }

                    await Task.WhenAny(Task.Delay(DrainPause, _time, stoppingToken), tick).ConfigureAwait(false);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Flush failures are handled per segment; this is anything else. Back off and keep going.
                var delay = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures++, 5)));
                MonitoringLog.LoopFailed(_logger, e, delay);
                ready = null;
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
        }

        // Stopping: what was accepted is written and sealed, so a clean shutdown loses nothing.
        await FlushAsync(seal: true, CancellationToken.None).ConfigureAwait(false);
    }

    private int DrainUnderGate()
    {
        _gate.Lock.Wait();
        try
        {
            Drain();
            return _buffered;
        }
        finally
        {
            _gate.Lock.Release();
        }
    }

    private void Drain()
    {
        var reader = _channel.Channel.Reader;
        while (reader.TryRead(out var prediction))
        {
            var rows = SegmentLayout.RowsOf(prediction);
            var key = KeyOf(prediction, rows);
            if (!_buffers.TryGetValue(key, out var buffer))
            {
                buffer = new SegmentBuffer(prediction.Model, prediction.Version, SegmentLayout.Of(prediction, _options.MaxElementsPerRow));
                _buffers[key] = buffer;
            }

            buffer.Append(prediction, rows);
            buffer.IdleFlushes = 0;
            _buffered += rows;
        }
    }

    /// <summary>
    /// Model, version and each tensor's name, kind and elements per row: what decides the layout, so the layout is
    /// built once per distinct key rather than once per prediction.
    /// </summary>
    private string KeyOf(CapturedPrediction prediction, int rows)
    {
        _key.Clear().Append(prediction.Model).Append('\n').Append(prediction.Version);
        foreach (var t in prediction.Inputs)
        {
            _key.Append("\ni:").Append(t.Name).Append(':').Append(t.DataType == DataType.Bytes ? 't' : 'n').Append(SegmentLayout.PerRow(t, rows));
        }

        foreach (var t in prediction.Outputs)
        {
            _key.Append("\no:").Append(t.Name).Append(':').Append(t.DataType == DataType.Bytes ? 't' : 'n').Append(SegmentLayout.PerRow(t, rows));
        }

        return _key.ToString();
    }

    private async Task AppendAllAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, buffer) in _buffers)
        {
            if (buffer.Count == 0)
            {
                continue;
            }

            var folder = SegmentFiles.Folder(_options.Directory, buffer.Model, buffer.Version);
            try
            {
                if (!_open.TryGetValue(key, out var segment))
                {
                    segment = new OpenSegment(folder, buffer.Layout, _time.GetUtcNow());
                    _open[key] = segment;
                }

                await segment.AppendAsync(buffer, cancellationToken).ConfigureAwait(false);
                _stats.AddRowsWritten(buffer.Count);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _stats.AddWriteFailure();
                MonitoringLog.WriteFailed(_logger, e, buffer.Count, buffer.Model, folder);
                // The segment may hold a half-written row group: abandon it so the next flush starts a clean one.
                if (_open.Remove(key, out var broken))
                {
                    TryDelete(broken.Path);
                }
            }
        }

        // Buffers stay for the next flush (their arrays are sized for it); one idle for a few flushes is dropped.
        foreach (var (key, buffer) in _buffers.ToArray())
        {
            if (buffer.Count == 0 && ++buffer.IdleFlushes > IdleFlushesBeforeRelease)
            {
                _buffers.Remove(key);
                buffer.Clear(release: true);
            }
            else
            {
                buffer.Clear(release: false);
            }
        }

        _buffered = 0;
    }

    private void Rotate(bool sealAll)
    {
        var now = _time.GetUtcNow();
        foreach (var (key, segment) in _open.ToArray())
        {
            if (sealAll || segment.Bytes >= _options.MaxSegmentBytes || now - segment.Opened >= _options.MaxSegmentAge)
            {
                _open.Remove(key);
                try
                {
                    var path = segment.Seal();
                    MonitoringLog.Sealed(_logger, path, segment.Rows, segment.Bytes);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _stats.AddWriteFailure();
                    MonitoringLog.WriteFailed(_logger, e, (int)segment.Rows, key, segment.Folder);
                }
            }
        }
    }

    /// <summary>Deletes sealed segments past the retention; run after each timed flush.</summary>
    internal void ExpireOld()
    {
        if (!Directory.Exists(_options.Directory))
        {
            return;
        }

        var cutoff = (_time.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds();
        foreach (var file in Directory.EnumerateFiles(_options.Directory, "*" + SegmentFiles.SealedExtension, SearchOption.AllDirectories))
        {
            if (SegmentFiles.TryParseRange(file, out _, out var last) && last < cutoff)
            {
                TryDelete(file);
                MonitoringLog.Expired(_logger, file);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp file is ignored by readers and recovered or set aside at the next start.
        }
    }
}
