using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Delivery.Tests.Wrk;

/// <summary>
/// Counts, inside the server, the inference requests answered (whatever the status), so that a test driving load
/// from another process (wrk) waits on a signal for "N more answered" rather than sleeping.
/// </summary>
public sealed class AnsweredRequests : IStartupFilter
{
    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private long _answered;

    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Adds the counter to a server's pipeline, first, so it sees every answer.</summary>
    public void AddTo(WebApplicationBuilder builder) => builder.Services.AddSingleton<IStartupFilter>(this);

    /// <summary>Completes once <paramref name="more"/> further inference requests have been answered.</summary>
    public Task ReachedAsync(long more)
    {
        lock (_lock)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Answered + more, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            await inner(context);
            if (context.Request.Path.Value?.EndsWith("/infer", StringComparison.Ordinal) == true)
            {
                Answered1();
            }
        });
        next(app);
    };

    private void Answered1()
    {
        var answered = Interlocked.Increment(ref _answered);
        List<TaskCompletionSource>? done = null;
        lock (_lock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= answered)
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
}
