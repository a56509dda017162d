using System.Diagnostics;
using System.Threading.Channels;
using Ferry.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ferry.Delivery.Shadow;

/// <summary>
/// Runs shadow copies on the candidate, off the request path: requests hand a copy to a bounded channel with
/// <see cref="TryEnqueue"/>, which never waits (a full channel drops the copy and counts it); one worker runs the
/// copies one at a time with each its time-out, and compares the candidate's answer with the stable one. A failing
/// or hanging candidate therefore costs the caller one copy of its inputs, nothing more.
/// </summary>
public sealed partial class ShadowDispatcher : BackgroundService
{
    private readonly Channel<ShadowCopy> _channel;
    private readonly InferenceEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger<ShadowDispatcher> _logger;
    private readonly Lock _lock = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _waiters = [];
    private long _processed;

    public ShadowDispatcher(InferenceEngine engine, DeliveryOptions options, TimeProvider time, ILogger<ShadowDispatcher> logger)
    {
        _engine = engine;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<ShadowCopy>(new BoundedChannelOptions(Math.Max(1, options.ShadowQueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: full means "refused", which is counted as a drop
        });
    }

    /// <summary>Copies waiting; for tests and status.</summary>
    public int Pending => _channel.Reader.Count;

    /// <summary>Copies run to an outcome (compared, failed or timed out) since start.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Completes once <paramref name="count"/> copies have been processed: how tests wait for the worker without sleeping.</summary>
    public Task WaitForProcessedAsync(long count)
    {
        lock (_lock)
        {
            if (_processed >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    /// <summary>Hands a copy over without waiting; false (and counted as dropped) when the queue is full.</summary>
    public bool TryEnqueue(ShadowCopy copy)
    {
        if (_channel.Writer.TryWrite(copy))
        {
            copy.Stats.CountEnqueued();
            return true;
        }

        copy.Stats.CountDropped();
        copy.Dispose();
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var copy in _channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                using (copy)
                {
                    await RunAsync(copy, stoppingToken).ConfigureAwait(false);
                }

                CountProcessed();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            while (_channel.Reader.TryRead(out var left))
            {
                left.Dispose();
            }
        }
    }

    private async Task RunAsync(ShadowCopy copy, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(copy.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var result = await _engine.InferAsync(copy.Target, copy.Version, copy.Inputs, copy.OutputName is { } output ? [output] : null, linked.Token).ConfigureAwait(false);
            var candidate = ShadowCopy.ValuesOf(result.Outputs, copy.OutputName);
            var (distance, disagreed) = Compare(copy.StableOutput, candidate);
            copy.Stats.CountCompared(distance, disagreed, copy.StableLatency, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            copy.Stats.CountTimeout();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The candidate's failure is a finding about the candidate, never the caller's problem.
            copy.Stats.CountError();
            LogShadowFailed(copy.Target, copy.Version, e.Message);
        }
    }

    private void CountProcessed()
    {
        List<TaskCompletionSource>? done = null;
        lock (_lock)
        {
            _processed++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= _processed)
                {
                    (done ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (done is not null)
        {
            foreach (var d in done)
            {
                d.TrySetResult();
            }
        }
    }

    /// <summary>Mean absolute difference over the elements both have; disagreement when any differs by more than 1e-6 or the shapes differ.</summary>
    internal static (double Distance, bool Disagreed) Compare(double[] stable, double[] candidate)
    {
        var n = Math.Min(stable.Length, candidate.Length);
        var disagreed = stable.Length != candidate.Length;
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var d = Math.Abs(stable[i] - candidate[i]);
            sum += d;
            disagreed |= d > 1e-6 || double.IsNaN(d);
        }

        return (n == 0 ? 0 : sum / n, disagreed);
    }

    [LoggerMessage(EventId = 8200, Level = LogLevel.Debug, Message = "Shadow copy to {Target} version {Version} failed: {Reason}")]
    private partial void LogShadowFailed(string target, string version, string reason);
}
