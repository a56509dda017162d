using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Ferry.Inference.Execution;
using Ferry.Inference.Models;
using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Batching;

/// <summary>
/// The queue in front of a model version and one worker per instance (ONNX Runtime session) draining it.
/// </summary>
/// <remarks>
/// Follows Triton's dynamic batcher. A worker takes the oldest request, then adds queued requests whose tensors
/// stack with it (same dimensions after the first) until the batch reaches <c>max_batch_size</c>, a preferred
/// batch size, or the first request has waited <c>max_queue_delay_microseconds</c>; a request that does not fit
/// starts the worker's next batch. Without <c>dynamic_batching</c> each request runs alone. The queue is bounded:
/// past <c>max_queue_size</c> requests are refused at once with <see cref="ErrorCode.ResourceExhausted"/>.
/// A failing batch is retried one request at a time, so one bad request fails only itself.
/// Sessions form a pool shared by the workers and by callers. Without dynamic batching, when nothing is queued
/// and a session is idle, a request runs at once on the caller's thread, which saves two thread hops.
/// With dynamic batching and no queue delay, requests queue for a runner thread of the lowest priority
/// (<see cref="IdlePriority"/>): it runs when the threads reading the sockets have nothing ready, so the batch it takes
/// is what arrived while they were busy, and it writes the answers itself (the requests' continuations run on it).
/// On a core shared with the socket threads, that batches under load and runs a request alone when idle; with a
/// core to itself it takes whatever queued since its last batch. Two guards: once a batch's worth waits, the thread
/// queueing runs the queue itself; and while the runner's recent batches are small (low load), a request that
/// finds the queue empty runs at once, as without batching, since waking the runner would cost more than it saves.
/// Where priorities cannot be set, the runner is an ordinary thread.
/// </remarks>
internal sealed class ModelScheduler
{
    private readonly ModelVersion _model;
    private readonly OnnxRunner _runner;
    private readonly IInferenceObserver _observer;
    private readonly Channel<PendingRequest> _queue;
    private readonly int _maxRows;
    private readonly bool _batching;
    private readonly long _maxDelayTicks;
    private readonly long _timeoutTicks;
    private readonly int[] _preferred;
    private readonly int _capacity;
    private readonly string[] _allOutputs;
    private readonly HashSet<string> _unbatchable;
    private readonly ConcurrentStack<InferenceSession> _idle;
    private readonly SemaphoreSlim _instances;
    private readonly bool _inline;
    private readonly bool _deferred;
    private readonly SemaphoreSlim _wake = new(0);
    private int _sleeping;
    /// <summary>
    /// Queued requests at which the thread queueing one runs them itself rather than leave them to the runner (on
    /// a core the socket threads keep busy, the runner gets a small share): half the open client connections, at
    /// least <see cref="RunHereAtLeast"/>. Measured on the flights model, one server core: a fixed 8 left c64 batches
    /// at ~8; 16 or 32 made c64 7-10 % faster but c16 30 % slower (a count of 16 or 32 is rarely reached with 16
    /// connections, so the starved runner had to run them).
    /// </summary>
    private const int RunHereAtLeast = 8;

    /// <summary>
    /// Requests per batch under which waking the runner costs more than the batch saves (two thread switches
    /// against one ONNX Runtime run): at 4 connections, batches of ~3.5 made the server ~10-25 % slower.
    /// </summary>
    private const double WorthWaking = 6;

    // Requests per batch, a moving average over the last ~10 batches; and a count of arrivals for sampling.
    private double _requestsPerBatch = 1;
    private int _arrivals;

    public ModelScheduler(ModelVersion model, OnnxRunner runner, IReadOnlyList<InferenceSession> sessions, IInferenceObserver observer)
    {
        _model = model;
        _runner = runner;
        _observer = observer;
        var batching = model.Config.DynamicBatching;
        _batching = batching is not null && model.Config.MaxBatchSize > 0;
        _maxRows = Math.Max(model.Config.MaxBatchSize, 1);
        _maxDelayTicks = MicrosecondsToTicks(batching?.MaxQueueDelayMicroseconds ?? 0);
        _timeoutTicks = MicrosecondsToTicks(batching?.DefaultQueuePolicy?.DefaultTimeoutMicroseconds ?? 0);
        _preferred = batching?.PreferredBatchSize?.ToArray() ?? [];
        _capacity = batching?.DefaultQueuePolicy?.MaxQueueSize is > 0 and var size ? size : DynamicBatching.DefaultMaxQueueSize;
        _allOutputs = model.Signature.Outputs.Select(o => o.Name).ToArray();
        _unbatchable = model.Signature.Outputs.Where(o => o.Shape is not [< 0, ..]).Select(o => o.Name).ToHashSet();
        _queue = Channel.CreateBounded<PendingRequest>(new BoundedChannelOptions(_capacity)
        {
            SingleReader = sessions.Count == 1,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _idle = new ConcurrentStack<InferenceSession>(sessions);
        _instances = new SemaphoreSlim(sessions.Count, sessions.Count);
        _inline = _maxDelayTicks == 0 && !_batching;
        _deferred = _maxDelayTicks == 0 && _batching;
        for (var i = 0; i < sessions.Count; i++)
        {
            if (_deferred)
            {
                new Thread(RunDeferred) { IsBackground = true, Name = $"ferry batch {model.Name}" }.Start();
            }
            else
            {
                _ = Task.Run(WorkAsync);
            }
        }
    }

    /// <summary>Runs a validated request, at once when an instance is idle and nobody waits, else through the queue.</summary>
    /// <returns>A task that ends with the outputs, which pass to the caller.</returns>
    public Task<List<InferTensor>> EnqueueAsync(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken cancellationToken)
    {
        var rows = _model.Config.MaxBatchSize > 0 ? (int)inputs[0].Shape[0] : 1;
        if ((_inline || (_deferred && AloneIsCheaper())) && _queue.Reader.Count == 0 && _instances.Wait(0, cancellationToken))
        {
            _idle.TryPop(out var session);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                _observer.Queued(_model.Name, _model.VersionText, TimeSpan.Zero);
                return Task.FromResult(RunNow(session!, inputs, requestedOutputs, rows));
            }
            finally
            {
                _idle.Push(session!);
                _instances.Release();
            }
        }

        var request = new PendingRequest(inputs, requestedOutputs, rows, cancellationToken, synchronousContinuations: _deferred);
        if (!_queue.Writer.TryWrite(request))
        {
            throw new FerryException(ErrorCode.ResourceExhausted,
                $"model '{_model.Name}' version {_model.Version}: the queue is full ({_capacity} requests waiting; dynamic_batching.default_queue_policy.max_queue_size); retry later");
        }

        if (_deferred)
        {
            WakeRunner();
            if (_queue.Reader.Count >= Math.Min(_maxRows, Math.Max(RunHereAtLeast, ClientConnections.Open / 2)))
            {
                // A batch's worth waits: the runner is behind (on a core the socket threads keep busy it gets a
                // small share), so this thread runs what has queued before queueing more.
                RunQueuedHere();
            }
        }

        return request.Task;
    }

    /// <summary>Stops the workers once the queue is empty; called when no lease is left.</summary>
    public void Complete()
    {
        _queue.Writer.TryComplete();
        if (_deferred)
        {
            _wake.Release(_model.InstanceCount);
        }
    }

    /// <summary>
    /// Whether a request that finds the queue empty should run at once instead of waiting for the runner: when the
    /// runner's recent batches held fewer than <see cref="WorthWaking"/> requests, waking it costs more than it saves.
    /// One request in 16 queues all the same, so that the figure follows the load when it grows.
    /// </summary>
    private bool AloneIsCheaper() => Volatile.Read(ref _requestsPerBatch) < WorthWaking && (++_arrivals & 15) != 0;

    private void WakeRunner()
    {
        // Pairs with the runner's announce-then-look in RunDeferred: either it sees this request or this sees it asleep.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) > 0 && _wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Runs the queued requests as batches on this thread, if an instance is free.</summary>
    private void RunQueuedHere()
    {
        var batch = new List<PendingRequest>(_maxRows);
        PendingRequest? next = null;
        do
        {
            next = RunBatch(batch, next, wait: false);
        }
        while (next is not null);
    }

    /// <summary>
    /// Takes a session, runs one batch (started by <paramref name="first"/>, or by the oldest queued request) and
    /// gives the session back before answering: the answers are written on this thread, and a request arriving
    /// meanwhile should find the session free. Returns a queued request that did not fit, to start the next batch.
    /// </summary>
    private PendingRequest? RunBatch(List<PendingRequest> batch, PendingRequest? first, bool wait)
    {
        if (!_instances.Wait(0))
        {
            if (first is null && !wait)
            {
                return null;
            }

            // A request taken off the queue must run: wait for the instance (rare: only after a misfit).
            _instances.Wait();
        }

        PendingRequest? misfit = null;
        _idle.TryPop(out var session);
        try
        {
            while (first is not null || _queue.Reader.TryRead(out first))
            {
                if (Admit(first))
                {
                    break;
                }

                first = null;
            }

            if (first is null)
            {
                return null;
            }

            batch.Add(first);
            misfit = TakeQueued(batch, first.Rows, out _);
            foreach (var request in batch)
            {
                request.Hold();
            }

            Execute(session!, batch);
        }
        catch (Exception e)
        {
            // Execute answers model failures itself; anything else must still answer every caller, not strand them
            // (nor end the runner thread, and with it the process).
            foreach (var request in batch)
            {
                if (!request.IsDone)
                {
                    request.Fail(e);
                }
            }
        }
        finally
        {
            _idle.Push(session!);
            _instances.Release();
            foreach (var request in batch)
            {
                request.Publish();
            }

            batch.Clear();
        }

        return misfit;
    }

    /// <summary>A runner thread: takes what has queued as one batch, runs it, answers, and sleeps when nothing is left.</summary>
    private void RunDeferred()
    {
        IdlePriority.TrySetForCurrentThread();
        var reader = _queue.Reader;
        var batch = new List<PendingRequest>(_maxRows);
        PendingRequest? carried = null;
        while (true)
        {
            if (carried is null && !reader.TryPeek(out _))
            {
                if (reader.Completion.IsCompleted)
                {
                    return;
                }

                Interlocked.Increment(ref _sleeping);
                if (!reader.TryPeek(out _) && !reader.Completion.IsCompleted)
                {
                    _wake.Wait();
                }

                Interlocked.Decrement(ref _sleeping);
                continue;
            }

            carried = RunBatch(batch, carried, wait: true);
        }
    }

    private async Task WorkAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingRequest>(_batching ? _maxRows : 1);
        PendingRequest? carried = null;
        while (true)
        {
            if (carried is null && !await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                return;
            }

            await _instances.WaitAsync().ConfigureAwait(false);
            _idle.TryPop(out var session);
            try
            {
                var first = carried;
                carried = null;
                if (first is null && !reader.TryRead(out first))
                {
                    // Another worker took it.
                    continue;
                }

                if (!Admit(first))
                {
                    continue;
                }

                batch.Add(first);
                if (_batching)
                {
                    carried = await GatherAsync(batch, first.Rows).ConfigureAwait(false);
                }

                Execute(session!, batch);
            }
            finally
            {
                batch.Clear();
                _idle.Push(session!);
                _instances.Release();
            }
        }
    }

    /// <summary>Adds queued requests to the batch; returns a request that did not fit, to start the next batch.</summary>
    private async ValueTask<PendingRequest?> GatherAsync(List<PendingRequest> batch, int rows)
    {
        var reader = _queue.Reader;
        var deadline = batch[0].EnqueuedAt + _maxDelayTicks;
        while (rows < _maxRows)
        {
            if (TakeQueued(batch, rows, out rows) is { } misfit)
            {
                return misfit;
            }

            if (rows >= _maxRows || Array.IndexOf(_preferred, rows) >= 0)
            {
                break;
            }

            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                break;
            }

            using var wait = new CancellationTokenSource(Stopwatch.GetElapsedTime(0, remaining));
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// Adds requests already queued to the batch while they fit; returns the first that does not (to start the next
    /// batch), or null when the queue is empty or the batch full. <paramref name="total"/> is the batch's rows after.
    /// </summary>
    private PendingRequest? TakeQueued(List<PendingRequest> batch, int rows, out int total)
    {
        var reader = _queue.Reader;
        while (rows < _maxRows && reader.TryRead(out var next))
        {
            if (!Admit(next))
            {
                continue;
            }

            if (rows + next.Rows > _maxRows || !Stackable(batch[0], next))
            {
                total = rows;
                return next;
            }

            batch.Add(next);
            rows += next.Rows;
        }

        total = rows;
        return null;
    }

    private bool Admit(PendingRequest request)
    {
        if (request.CancellationToken.IsCancellationRequested)
        {
            request.Cancel();
            return false;
        }

        if (_timeoutTicks > 0 && Stopwatch.GetTimestamp() - request.EnqueuedAt > _timeoutTicks)
        {
            request.Fail(new FerryException(ErrorCode.DeadlineExceeded,
                $"model '{_model.Name}' version {_model.Version}: the request waited longer than the queue timeout of {TicksToMicroseconds(_timeoutTicks)} µs"));
            return false;
        }

        return true;
    }

    private bool Stackable(PendingRequest first, PendingRequest next)
    {
        var specs = _model.Signature.Inputs;
        for (var i = 0; i < specs.Count; i++)
        {
            if (!BatchTensors.Stackable(first.Input(specs[i].Name), next.Input(specs[i].Name)))
            {
                return false;
            }
        }

        return true;
    }

    private void Execute(InferenceSession session, List<PendingRequest> batch)
    {
        Volatile.Write(ref _requestsPerBatch, 0.9 * _requestsPerBatch + 0.1 * batch.Count);
        var started = Stopwatch.GetTimestamp();
        foreach (var request in batch)
        {
            _observer.Queued(_model.Name, _model.VersionText, Stopwatch.GetElapsedTime(request.EnqueuedAt, started));
        }

        if (batch.Count == 1 || batch.Exists(NeedsUnbatchableOutput))
        {
            foreach (var request in batch)
            {
                RunAlone(session, request);
            }

            return;
        }

        var totalRows = 0;
        foreach (var request in batch)
        {
            totalRows += request.Rows;
        }

        var specs = _model.Signature.Inputs;
        var inputs = new List<InferTensor>(specs.Count);
        List<InferTensor>? outputs = null;
        try
        {
            for (var i = 0; i < specs.Count; i++)
            {
                inputs.Add(BatchTensors.Stack(specs[i].Name, batch, totalRows));
            }

            var outputNames = SameOutputs(batch) ? batch[0].RequestedOutputs : null;
            outputs = _runner.Run(session, inputs, outputNames);
            _observer.Computed(_model.Name, _model.VersionText, Stopwatch.GetElapsedTime(started), totalRows);
            var start = 0;
            foreach (var request in batch)
            {
                request.Complete(Select(outputs, request, start, totalRows));
                start += request.Rows;
            }
        }
        catch (Exception e) when (e is OnnxRuntimeException or FerryException)
        {
            // One request's values may make the model fail; run each alone so only that one fails.
            foreach (var request in batch)
            {
                RunAlone(session, request);
            }
        }
        finally
        {
            foreach (var tensor in inputs)
            {
                tensor.Dispose();
            }

            if (outputs is not null)
            {
                foreach (var tensor in outputs)
                {
                    tensor.Dispose();
                }
            }
        }
    }

    private void RunAlone(InferenceSession session, PendingRequest request)
    {
        if (request.IsDone)
        {
            return;
        }

        try
        {
            request.Complete(RunNow(session, request.Inputs, request.RequestedOutputs, request.Rows));
        }
        catch (Exception e)
        {
            request.Fail(e);
        }
    }

    /// <summary>Runs one request on <paramref name="session"/> on this thread.</summary>
    private List<InferTensor> RunNow(InferenceSession session, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs, int rows)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outputs = _runner.Run(session, inputs, requestedOutputs);
            _observer.Computed(_model.Name, _model.VersionText, Stopwatch.GetElapsedTime(started), rows);
            return outputs;
        }
        catch (OnnxRuntimeException e)
        {
            // The input passed validation, so the model itself refused these values (an index out of range, say).
            throw new FerryException(ErrorCode.InvalidArgument, $"model '{_model.Name}' version {_model.Version} failed on this input: {e.Message}", e);
        }
    }

    private List<InferTensor> Select(List<InferTensor> outputs, PendingRequest request, int start, int totalRows)
    {
        var names = request.RequestedOutputs ?? _allOutputs;
        var selected = new List<InferTensor>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            foreach (var output in outputs)
            {
                if (output.Name == name)
                {
                    selected.Add(BatchTensors.Slice(output, start, request.Rows, totalRows));
                    break;
                }
            }
        }

        return selected;
    }

    private bool NeedsUnbatchableOutput(PendingRequest request)
    {
        if (_unbatchable.Count == 0)
        {
            return false;
        }

        return request.RequestedOutputs is { } names ? names.Any(_unbatchable.Contains) : true;
    }

    private static bool SameOutputs(List<PendingRequest> batch)
    {
        var first = batch[0].RequestedOutputs;
        for (var i = 1; i < batch.Count; i++)
        {
            var other = batch[i].RequestedOutputs;
            if (!ReferenceEquals(first, other) && (first is null ? other is not null : other is null || !SameNames(first, other)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameNames(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static long MicrosecondsToTicks(long microseconds) => microseconds * Stopwatch.Frequency / 1_000_000;

    private static long TicksToMicroseconds(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;
}
