using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Alerts;

/// <summary>
/// Evaluates every rule on a timer (<see cref="AlertOptions.EvaluationInterval"/>, on the injected clock). A rule
/// fires when its condition starts to hold and resolves when it stops; each change is written to the history, logged
/// and handed to the notifiers, exactly once, so a condition that keeps holding sends nothing more. A rule with no
/// value this time (too few rows, no labels) keeps its state; one whose measurement fails is logged and skipped.
/// </summary>
public sealed class AlertManager : BackgroundService
{
    private readonly AlertOptions _options;
    private readonly AlertEvaluator _evaluator;
    private readonly AlertHistory _history;
    private readonly IEnumerable<IAlertNotifier> _notifiers;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertManager> _logger;
    private readonly SemaphoreSlim _evaluating = new(1, 1);
    private readonly Dictionary<string, AlertState> _states = new(StringComparer.Ordinal);

    public AlertManager(IOptions<AlertOptions> options, AlertEvaluator evaluator, AlertHistory history, IEnumerable<IAlertNotifier> notifiers, TimeProvider time, ILogger<AlertManager> logger)
    {
        _options = options.Value;
        _evaluator = evaluator;
        _history = history;
        _notifiers = notifiers;
        _time = time;
        _logger = logger;
        foreach (var rule in _options.Rules)
        {
            _states[rule.Name] = new AlertState(rule, false, null, null, 0, null, null, null, 0);
        }
    }

    /// <summary>Every rule's current standing, in configuration order.</summary>
    public IReadOnlyList<AlertState> States
    {
        get
        {
            lock (_states)
            {
                return _options.Rules.Select(r => _states[r.Name]).ToArray();
            }
        }
    }

    /// <summary>Evaluates every rule now; returns the events it raised. Runs one evaluation at a time.</summary>
    public async Task<IReadOnlyList<AlertEvent>> EvaluateAsync(CancellationToken cancellationToken)
    {
        await _evaluating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var raised = new List<AlertEvent>();
            foreach (var rule in _options.Rules)
            {
                if (await EvaluateRuleAsync(rule, now, cancellationToken).ConfigureAwait(false) is { } e)
                {
                    raised.Add(e);
                }
            }

            return raised;
        }
        finally
        {
            _evaluating.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Rules.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.EvaluationInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await EvaluateAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                MonitoringLog.AlertLoopFailed(_logger, e);
            }
        }
    }

    private async Task<AlertEvent?> EvaluateRuleAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        AlertMeasurement measured;
        try
        {
            measured = await _evaluator.MeasureAsync(rule, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            MonitoringLog.AlertRuleFailed(_logger, e, rule.Name);
            Update(rule.Name, s => s with { LastEvaluated = now, LastError = e.Message });
            return null;
        }

        AlertState before;
        lock (_states)
        {
            before = _states[rule.Name];
        }

        if (measured.Value is not { } value)
        {
            Update(rule.Name, s => s with { LastValue = null, LastSamples = measured.Samples, LastDetail = measured.Detail, LastEvaluated = now, LastError = null });
            return null;
        }

        var holds = rule.Holds(value);
        if (holds == before.Firing)
        {
            Update(rule.Name, s => s with { LastValue = value, LastSamples = measured.Samples, LastDetail = measured.Detail, LastEvaluated = now, LastError = null });
            return null;
        }

        var state = holds ? "firing" : "resolved";
        var alert = new AlertEvent(
            Guid.NewGuid().ToString("N"),
            rule.Name,
            rule.Model,
            rule.Kind,
            rule.Metric,
            state,
            value,
            rule.EffectiveOp,
            rule.Threshold,
            measured.Samples,
            now,
            $"{rule.Name} {state}: {rule.Kind}{(rule.Metric is null ? "" : " " + rule.Metric)} of {rule.Model} is {value:0.####} ({rule.EffectiveOp} {rule.Threshold:0.####} {(holds ? "holds" : "no longer holds")}); {measured.Detail}");

        // Written before it is announced: an event sent anywhere is always in the history.
        await _history.AppendAsync(alert, cancellationToken).ConfigureAwait(false);
        Update(rule.Name, s => s with
        {
            Firing = holds,
            Since = now,
            LastValue = value,
            LastSamples = measured.Samples,
            LastDetail = measured.Detail,
            LastEvaluated = now,
            LastError = null,
            Firings = s.Firings + (holds ? 1 : 0),
        });
        if (holds)
        {
            MonitoringLog.AlertFiring(_logger, rule.Name, alert.Message);
        }
        else
        {
            MonitoringLog.AlertResolved(_logger, rule.Name, alert.Message);
        }

        foreach (var notifier in _notifiers)
        {
            notifier.Notify(alert);
        }

        return alert;
    }

    private void Update(string rule, Func<AlertState, AlertState> change)
    {
        lock (_states)
        {
            _states[rule] = change(_states[rule]);
        }
    }
}
