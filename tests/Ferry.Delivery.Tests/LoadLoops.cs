using System.Collections.Concurrent;

namespace Ferry.Delivery.Tests;

/// <summary>
/// Several clients, each with its own HttpClient and connection, sending requests back to back until stopped;
/// counts answers per version and every failure. Tests wait for it with <see cref="ReachedAsync"/>, a signal, not a sleep.
/// </summary>
public sealed class LoadLoops : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<string, long> _byVersion = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private long _answered;
    private int _stopped;

    public LoadLoops(Uri address, string deployment, int clients = 4)
    {
        for (var c = 0; c < clients; c++)
        {
            var client = c;
            _loops.Add(Task.Run(() => RunAsync(address, deployment, client)));
        }
    }

    public long Answered => Interlocked.Read(ref _answered);

    public IReadOnlyCollection<string> Failures => _failures;

    public IReadOnlyDictionary<string, long> ByVersion => _byVersion;

    /// <summary>Completes once <paramref name="more"/> further requests have been answered.</summary>
    public Task ReachedAsync(long more)
    {
        lock (_lock)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Answered + more, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
    }

    /// <summary>Stops the clients and waits for their last requests; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }

    private async Task RunAsync(Uri address, string deployment, int client)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        var i = 0;
        while (!_stop.IsCancellationRequested)
        {
            i++;
            var x = (i * 7 + client) % TestModels.Rows;
            try
            {
                var answer = await http.InferAsync(deployment, x, key: $"client{client}-{i}");
                if (!answer.Ok || answer.Version is null || answer.Version != answer.VersionHeader)
                {
                    _failures.Enqueue($"{(int)answer.Status}: {answer.Text}");
                }
                else
                {
                    _byVersion.AddOrUpdate(answer.Version, 1, (_, n) => n + 1);
                }
            }
            catch (HttpRequestException e)
            {
                _failures.Enqueue(e.Message);
            }

            Answered1();
        }
    }

    private void Answered1()
    {
        var answered = Interlocked.Increment(ref _answered);
        List<TaskCompletionSource>? done = null;
        lock (_lock)
        {
            for (var w = _waiters.Count - 1; w >= 0; w--)
            {
                if (_waiters[w].Target <= answered)
                {
                    (done ??= []).Add(_waiters[w].Done);
                    _waiters.RemoveAt(w);
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
}
