using Ferry.Delivery.Analysis;
using Ferry.Delivery.Model;
using Ferry.Delivery.Rollout;
using Ferry.Monitoring.Labels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ferry.Delivery.Control;

/// <summary>
/// The rollout controller: every <see cref="DeliveryOptions.ControllerInterval"/> of the injected clock it reads
/// the store (so a rollout resumes after a restart and changes made through other replicas are served), closes
/// the analysis windows that are due, records each decision with its numbers, and runs the canary steps that are due.
/// </summary>
/// <remarks>
/// All state lives in the store: a new process reads it at start and carries on where the old one stopped.
/// A tick that fails (store down) is logged and the next one tries again; the data plane keeps its table meanwhile.
/// Realised checks (accuracy, mae) read the label store when their window closes and join it to the predictions
/// each version answered (by request id); without a label store (a host with no monitoring) they see no labels.
/// </remarks>
public sealed partial class DeploymentController(
    DeploymentService service, DeliveryOptions options, TimeProvider time, ILogger<DeploymentController> logger, LabelStore? labels = null) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly List<(long Tick, TaskCompletionSource Done)> _waiters = [];
    private long _completed;

    /// <summary>Ticks finished since start; with <see cref="WaitForTickAsync"/>, how tests wait for the controller without sleeping.</summary>
    public long CompletedTicks => Interlocked.Read(ref _completed);

    /// <summary>Completes once <paramref name="tick"/> ticks have finished.</summary>
    public Task WaitForTickAsync(long tick)
    {
        lock (_lock)
        {
            if (_completed >= tick)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((tick, done));
            return done.Task;
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Serve the stored deployments before the host reports started, so a restarted replica routes at once.
        try
        {
            await service.SyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTickFailed(e, e.Message);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ControllerInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
                Completed();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: sync, then each rollout's analysis and steps, then unload what no longer serves.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await service.SyncAsync(cancellationToken).ConfigureAwait(false);
            foreach (var deployment in service.Known)
            {
                if (deployment.State.Phase == DeploymentPhase.Progressing)
                {
                    await StepAsync(deployment, cancellationToken).ConfigureAwait(false);
                }
            }

            await service.ReconcileAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogTickFailed(e, e.Message);
        }
    }

    private async Task StepAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var state = deployment.State;
        IReadOnlyList<CheckResult>? results = null;
        if (deployment.Spec.Analysis is { } analysis && now - (state.LastAnalysisAt ?? now) >= analysis.Interval && state.CandidateVersion is { } candidate)
        {
            var stableWindow = service.Stats.For(deployment.Name, state.StableVersion).CloseWindow(now);
            var candidateWindow = service.Stats.For(deployment.Name, candidate).CloseWindow(now);
            LabelledWindow? labelled = null;
            if (labels is not null && NeedsLabels(analysis))
            {
                var truths = await labels.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                labelled = LabelledWindow.Join(
                    service.Stats.For(deployment.Name, state.StableVersion).Labelled, service.Stats.For(deployment.Name, candidate).Labelled, truths);
            }

            results = AnalysisEvaluator.Evaluate(analysis.Checks, stableWindow, candidateWindow, labelled);
        }

        await service.StepAsync(deployment.Name, d =>
        {
            // The stored state may have moved on (a person aborted, another replica stepped): decide on it, not on the copy.
            if (d.State.Phase != DeploymentPhase.Progressing || d.State.CandidateVersion != state.CandidateVersion)
            {
                return new Transition(d.State, []);
            }

            var events = new List<PlannedEvent>();
            var next = d.State;
            if (results is not null)
            {
                var analysed = RolloutPlanner.Analyse(d.Spec, next, results, now);
                events.AddRange(analysed.Events);
                next = analysed.State;
            }

            var advanced = RolloutPlanner.Advance(d.Spec, next, now);
            events.AddRange(advanced.Events);
            return new Transition(advanced.State, events);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static bool NeedsLabels(AnalysisSpec analysis)
    {
        foreach (var check in analysis.Checks)
        {
            if (check.NeedsLabels)
            {
                return true;
            }
        }

        return false;
    }

    private void Completed()
    {
        List<TaskCompletionSource> done = [];
        lock (_lock)
        {
            _completed++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Tick <= _completed)
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var d in done)
        {
            d.TrySetResult();
        }
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "The rollout controller's pass failed; serving what is loaded and trying again next tick: {Reason}")]
    private partial void LogTickFailed(Exception exception, string reason);
}
