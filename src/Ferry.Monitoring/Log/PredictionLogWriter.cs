using System.Runtime.CompilerServices;
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
    private readonly List<SegmentBuffer> _buffers = [];
    private readonly Dictionary<string, OpenSegment> _open = new(StringComparer.Ordinal);
    private SegmentBuffer? _last;
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

        // Stopping: what was accepted is written and sealed, so a clean shutdown loses nothing. The channel takes
        // nothing more (a late request is counted as dropped and its buffer returned at once), so none is left on it.
        _channel.Channel.Writer.TryComplete();
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

    // Optimised from its first call: it runs a few times a second over thousands of predictions, so tiered compilation
    // left it (and the buffers' per-row code) instrumented or unoptimised for a minute or more of full load.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Drain()
    {
        var reader = _channel.Channel.Reader;
        while (reader.TryRead(out var prediction))
        {
            try
            {
                var rows = prediction.Rows;
                var buffer = BufferFor(prediction, rows);
                buffer.Append(prediction, rows);
                buffer.IdleFlushes = 0;
                _buffered += rows;
            }
            finally
            {
                // The rows are copied into the column buffers (or the prediction failed to be): its buffer is done.
                _channel.Return(prediction.Buffer);
            }
        }
    }

    /// <summary>
    /// The buffer of <paramref name="prediction"/>'s model, version and layout, compared in place with the buffers there
    /// are (the last one used first: a stream of predictions of one model hits it every time), so that draining a
    /// prediction allocates nothing; a new layout makes a new buffer.
    /// </summary>
    private SegmentBuffer BufferFor(in PredictionCapture prediction, int rows)
    {
        if (_last is not null && _last.Matches(prediction, rows))
        {
            return _last;
        }

        foreach (var buffer in _buffers)
        {
            if (buffer.Matches(prediction, rows))
            {
                _last = buffer;
                return buffer;
            }
        }

        _last = new SegmentBuffer(prediction, SegmentLayout.Of(prediction, _options.MaxElementsPerRow));
        _buffers.Add(_last);
        return _last;
    }

    private async Task AppendAllAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in _buffers)
        {
            var key = buffer.StreamKey;
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
        for (var i = _buffers.Count - 1; i >= 0; i--)
        {
            var buffer = _buffers[i];
            if (buffer.Count == 0 && ++buffer.IdleFlushes > IdleFlushesBeforeRelease)
            {
                _buffers.RemoveAt(i);
                _last = ReferenceEquals(_last, buffer) ? null : _last;
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
