using System.Collections.Concurrent;
using Ferry.Delivery.Gates;
using Ferry.Delivery.Live;
using Ferry.Delivery.Model;
using Ferry.Delivery.Rollout;
using Ferry.Storage;
using Ferry.Storage.Delivery;
using Microsoft.Extensions.Logging;

namespace Ferry.Delivery.Control;

/// <summary>
/// The control plane of deployments: every change goes store first, then data plane. A change loads the versions
/// it routes to, writes the deployment and its history in one transaction (against the revision it read), then
/// swaps the routing table; versions no longer routed are unloaded later by <see cref="ReconcileAsync"/>, once
/// requests routed by the old table are done.
/// </summary>
public sealed partial class DeploymentService
{
    private const int Attempts = 3;

    private readonly ConcurrentDictionary<string, Deployment> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long[] Versions, DateTimeOffset ChangedAt)> _published = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IMetadataStore _store;
    private readonly IDeploymentServing _serving;
    private readonly RoutingTableBuilder _tables;
    private readonly LiveStats _stats;
    private readonly IDeliveryEventSink[] _sinks;
    private readonly TimeProvider _time;
    private readonly DeliveryOptions _options;
    private readonly ILogger<DeploymentService> _logger;
    private readonly GateService? _gates;

    public DeploymentService(
        IMetadataStore store, IDeploymentServing serving, RoutingTableBuilder tables, LiveStats stats, IEnumerable<IDeliveryEventSink> sinks,
        TimeProvider time, DeliveryOptions options, ILogger<DeploymentService> logger, GateService? gates = null)
    {
        _gates = gates;
        _store = store;
        _serving = serving;
        _tables = tables;
        _stats = stats;
        _sinks = sinks.ToArray();
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>The deployments as this replica last read or wrote them.</summary>
    public IReadOnlyCollection<Deployment> Known => (IReadOnlyCollection<Deployment>)_known.Values;

    public LiveStats Stats => _stats;

    public async Task<Deployment> CreateAsync(DeploymentRequest request, string actor, CancellationToken cancellationToken)
    {
        SpecValidator.CheckName(request.Name);
        var name = request.Name!;
        var model = string.IsNullOrEmpty(request.Model) ? throw FerryException.Invalid("'model' is required") : request.Model;
        var stable = request.StableVersion ?? throw FerryException.Invalid("'stable_version' is required");
        var spec = SpecValidator.Spec(request, null);
        if (await _serving.IsModelNameAsync(name, cancellationToken).ConfigureAwait(false)
            || (name.EndsWith(Routing.DeploymentRouter.PreviewSuffix, StringComparison.Ordinal)
                && _known.ContainsKey(name[..^Routing.DeploymentRouter.PreviewSuffix.Length])))
        {
            throw FerryException.Invalid($"'name': '{name}' is already served as a model; a deployment needs a name of its own");
        }

        if (await _store.GetModelAsync(model, cancellationToken).ConfigureAwait(false) is null)
        {
            throw FerryException.NotFound($"'model': no registered model named '{model}'");
        }

        if (request.CandidateVersion is { } gated && spec.Gates is { } policy)
        {
            // Nothing exists yet to record the refusal in: a refused create changes nothing.
            var report = await GateAsync(model, gated, stable, policy, cancellationToken).ConfigureAwait(false);
            if (!report.Passed)
            {
                throw new GateRefusedException(name, report);
            }
        }

        var now = _time.GetUtcNow();
        var state = new DeploymentState { StableVersion = stable };
        var events = new List<PlannedEvent> { new("created", $"deployment of {model} created with version {stable} stable ({Strategy(spec)})", new { model, stable, strategy = spec.Strategy }) };
        if (request.CandidateVersion is { } candidate)
        {
            var start = RolloutPlanner.Start(spec, state, candidate, now);
            state = start.State;
            events.AddRange(start.Events);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var draft = new Deployment { Name = name, Model = model, Spec = spec, State = state };
            await _serving.PublishAsync(name, model, draft.ServedVersions, stable, cancellationToken).ConfigureAwait(false);
            var record = await _store.Deployments.CreateAsync(
                new DeploymentRecord { Name = name, Model = model, Document = DeliveryJson.Write(spec, state), CreatedAt = now },
                ToEvents(name, events, actor, now), cancellationToken).ConfigureAwait(false);
            var created = DeliveryJson.Read(record);
            _stats.Reset(name);
            Apply(created, created.ServedVersions, now);
            await NotifyAsync(created, events, actor, now, cancellationToken).ConfigureAwait(false);
            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<Deployment> GetAsync(string name, CancellationToken cancellationToken)
    {
        var record = await _store.Deployments.GetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"no deployment named '{name}'");
        return DeliveryJson.Read(record);
    }

    public async Task<IReadOnlyList<Deployment>> ListAsync(CancellationToken cancellationToken)
    {
        var records = await _store.Deployments.ListAsync(cancellationToken).ConfigureAwait(false);
        return records.Select(DeliveryJson.Read).ToArray();
    }

    public Task<IReadOnlyList<DeploymentEvent>> HistoryAsync(string name, long afterId, int limit, CancellationToken cancellationToken) =>
        _store.Deployments.ListEventsAsync(name, afterId, limit, cancellationToken);

    /// <summary>Starts a rollout of a new candidate, optionally with new settings (strategy, steps, analysis...).</summary>
    /// <exception cref="GateRefusedException">The deployment has a gate and the candidate failed it; the refusal is in the history.</exception>
    public async Task<Deployment> SetCandidateAsync(string name, DeploymentRequest request, string actor, CancellationToken cancellationToken)
    {
        var candidate = request.CandidateVersion ?? throw FerryException.Invalid("'candidate_version' is required");
        var current = await GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (SpecValidator.Spec(request, current.Spec).Gates is { } policy)
        {
            var report = await GateAsync(current.Model, candidate, current.State.StableVersion, policy, cancellationToken).ConfigureAwait(false);
            if (!report.Passed)
            {
                var refused = new PlannedEvent("gate_refused", new GateRefusedException(name, report).Message, new { candidate, stable = current.State.StableVersion, report.Checks });
                await MutateAsync(name, actor, d => (d.Spec, new Transition(d.State, [refused]), false), cancellationToken).ConfigureAwait(false);
                throw new GateRefusedException(name, report);
            }
        }

        return await MutateAsync(name, actor, d =>
        {
            var spec = SpecValidator.Spec(request, d.Spec);
            var start = RolloutPlanner.Start(spec, d.State, candidate, _time.GetUtcNow());
            return (spec, start, true);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<Deployment> PromoteAsync(string name, string actor, string? reason, CancellationToken cancellationToken) =>
        MutateAsync(name, actor, d => (d.Spec, RolloutPlanner.Promote(d.State, reason ?? $"promoted by {actor}"), false), cancellationToken);

    public Task<Deployment> AbortAsync(string name, string actor, string? reason, CancellationToken cancellationToken) =>
        MutateAsync(name, actor, d => (d.Spec, RolloutPlanner.Abort(d.State, reason ?? $"aborted by {actor}"), false), cancellationToken);

    public Task<Deployment> RollbackAsync(string name, string actor, string? reason, CancellationToken cancellationToken) =>
        MutateAsync(name, actor, d => (d.Spec, RolloutPlanner.Rollback(d.State, reason ?? $"rolled back by {actor}"), false), cancellationToken);

    public Task<Deployment> PauseAsync(string name, string actor, string? reason, CancellationToken cancellationToken) =>
        MutateAsync(name, actor, d => (d.Spec, RolloutPlanner.Pause(d.State, reason ?? $"paused by {actor}"), false), cancellationToken);

    public Task<Deployment> ResumeAsync(string name, string actor, CancellationToken cancellationToken) =>
        MutateAsync(name, actor, d => (d.Spec, RolloutPlanner.Resume(d.Spec, d.State, _time.GetUtcNow()), false), cancellationToken);

    /// <summary>
    /// The controller's step for one deployment: runs <paramref name="change"/> against the stored state. Returns
    /// null when nothing changed.
    /// </summary>
    internal Task<Deployment> StepAsync(string name, Func<Deployment, Transition> change, CancellationToken cancellationToken) =>
        MutateAsync(name, "controller", d => (d.Spec, change(d), false), cancellationToken);

    /// <summary>
    /// Reads every deployment from the store and serves what changed (made through another replica, or before a
    /// restart). A store that cannot be read leaves the table as it is.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var records = await _store.Deployments.ListAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var record in records)
            {
                seen.Add(record.Name);
                if (_known.TryGetValue(record.Name, out var known) && known.Revision == record.Revision)
                {
                    continue;
                }

                var deployment = DeliveryJson.Read(record);
                try
                {
                    var versions = Union(known?.ServedVersions, deployment.ServedVersions);
                    await _serving.PublishAsync(deployment.Name, deployment.Model, versions, deployment.State.StableVersion, cancellationToken).ConfigureAwait(false);
                    Apply(deployment, versions, now);
                }
                catch (FerryException e)
                {
                    // Keep routing what was routed; the next sync tries again.
                    LogSyncFailed(deployment.Name, e.Message);
                }
            }

            foreach (var gone in _known.Keys.Where(n => !seen.Contains(n)).ToArray())
            {
                _known.TryRemove(gone, out _);
                _tables.Publish(_known.Values);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Unloads versions that no deployment routes to any more, once a controller interval has passed since the
    /// change that stopped routing to them: requests routed by the table before the change have finished by then.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var deployment in _known.Values)
        {
            if (!_published.TryGetValue(deployment.Name, out var published) || now - published.ChangedAt < _options.ControllerInterval)
            {
                continue;
            }

            var wanted = deployment.ServedVersions.ToArray();
            if (published.Versions.AsSpan().SequenceEqual(wanted))
            {
                continue;
            }

            await _serving.PublishAsync(deployment.Name, deployment.Model, wanted, deployment.State.StableVersion, cancellationToken).ConfigureAwait(false);
            _published[deployment.Name] = (wanted, now);
        }
    }

    private async Task<Deployment> MutateAsync(
        string name, string actor, Func<Deployment, (DeploymentSpec Spec, Transition Transition, bool Restart)> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var current = await GetAsync(name, cancellationToken).ConfigureAwait(false);
                var (spec, transition, restart) = change(current);
                if (!transition.Changed)
                {
                    return current;
                }

                var now = _time.GetUtcNow();
                var next = current with { Spec = spec, State = transition.State };
                // Load first: the table may route to a version only once it is loaded.
                var versions = Union(current.ServedVersions, next.ServedVersions);
                await _serving.PublishAsync(name, next.Model, versions, next.State.StableVersion, cancellationToken).ConfigureAwait(false);
                DeploymentRecord record;
                try
                {
                    record = await _store.Deployments.UpdateAsync(
                        name, current.Revision, DeliveryJson.Write(spec, transition.State), ToEvents(name, transition.Events, actor, now), now, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (StaleRevisionException) when (attempt < Attempts)
                {
                    continue;
                }

                var updated = DeliveryJson.Read(record);
                if (restart)
                {
                    _stats.Reset(name);
                }

                Apply(updated, versions, now);
                await NotifyAsync(updated, transition.Events, actor, now, cancellationToken).ConfigureAwait(false);
                return updated;
            }
        }
        catch (StaleRevisionException e)
        {
            throw new DeploymentConflictException(e.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task<GateReport> GateAsync(string model, long candidate, long stable, GatePolicy policy, CancellationToken cancellationToken) =>
        (_gates ?? throw FerryException.Invalid("'gates': this server has no gate service to check a candidate with"))
            .CheckEntryAsync(model, candidate, stable, policy, cancellationToken);

    private void Apply(Deployment deployment, IReadOnlyList<long> publishedVersions, DateTimeOffset now)
    {
        _known[deployment.Name] = deployment;
        _published[deployment.Name] = (publishedVersions.ToArray(), now);
        _tables.Publish(_known.Values);
    }

    private async Task NotifyAsync(Deployment deployment, IReadOnlyList<PlannedEvent> events, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var e in ToEvents(deployment.Name, events, actor, now))
        {
            foreach (var sink in _sinks)
            {
                try
                {
                    await sink.OnTransitionAsync(deployment, e, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSinkFailed(ex, deployment.Name, e.Kind);
                }
            }
        }
    }

    private static DeploymentEvent[] ToEvents(string name, IReadOnlyList<PlannedEvent> events, string actor, DateTimeOffset now) =>
        events.Select(e => new DeploymentEvent
        {
            Deployment = name,
            Kind = e.Kind,
            Message = e.Message,
            Detail = e.Detail is null ? null : DeliveryJson.Detail(e.Detail),
            Actor = actor,
            At = now,
        }).ToArray();

    private static long[] Union(IReadOnlyList<long>? a, IReadOnlyList<long> b)
    {
        var set = new SortedSet<long>(b);
        if (a is not null)
        {
            set.UnionWith(a);
        }

        return [.. set];
    }

    private static string Strategy(DeploymentSpec spec) => spec.Strategy switch
    {
        DeliveryStrategy.BlueGreen => "bluegreen",
        DeliveryStrategy.Canary => "canary",
        DeliveryStrategy.Shadow => "shadow",
        _ => "ab",
    };

    [LoggerMessage(EventId = 8010, Level = LogLevel.Warning, Message = "Deployment {Deployment} could not be served from the store: {Reason}")]
    private partial void LogSyncFailed(string deployment, string reason);

    [LoggerMessage(EventId = 8011, Level = LogLevel.Warning, Message = "Deployment {Deployment}: the event sink failed on {Kind}")]
    private partial void LogSinkFailed(Exception exception, string deployment, string kind);
}
