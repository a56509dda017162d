using System.Globalization;
using Ferry.Delivery.Analysis;
using Ferry.Delivery.Model;

namespace Ferry.Delivery.Rollout;

/// <summary>
/// The rollout state machine, pure: given a deployment, a request or a clock reading, it returns the next state and
/// the history lines. The service and the controller do the I/O (load versions, write the store, swap the table).
/// </summary>
/// <remarks>
/// Canary steps follow Argo Rollouts: <c>set_weight</c> takes effect at once; <c>pause</c> with a duration waits
/// that long, without one it waits for <c>resume</c> (or <c>promote</c>). Analysis runs in the background of the
/// steps: a failure beyond the check's failure limit aborts, an inconclusive result pauses, and the steps done
/// promote the candidate.
/// </remarks>
public static class RolloutPlanner
{
    public static bool InFlight(DeploymentState state) =>
        state.CandidateVersion is not null && state.Phase is not (DeploymentPhase.Stable or DeploymentPhase.Aborted);

    /// <summary>Starts a rollout of <paramref name="candidate"/> by the strategy of <paramref name="spec"/>.</summary>
    public static Transition Start(DeploymentSpec spec, DeploymentState state, long candidate, DateTimeOffset now)
    {
        if (state.Phase is DeploymentPhase.Progressing or DeploymentPhase.Paused)
        {
            throw new DeploymentConflictException($"a canary of version {state.CandidateVersion} is in progress; abort or promote it first");
        }

        if (candidate == state.StableVersion)
        {
            throw Ferry.FerryException.Invalid($"candidate_version {candidate} is already the stable version");
        }

        var start = state with
        {
            CandidateVersion = candidate,
            StepIndex = 0,
            StepStartedAt = now,
            LastAnalysisAt = now,
            CandidateWeight = 0,
            Reason = null,
            Failures = new Dictionary<string, int>(),
            AwaitingLabels = spec.Strategy == DeliveryStrategy.Canary && NeedsLabels(spec),
            LastAnalysis = null,
        };
        var events = new List<PlannedEvent>();
        switch (spec.Strategy)
        {
            case DeliveryStrategy.BlueGreen:
                start = start with { Phase = DeploymentPhase.Preview };
                events.Add(new("preview", $"version {candidate} loaded and serving on the preview route", new { candidate, stable = state.StableVersion }));
                return new Transition(start, events);
            case DeliveryStrategy.Shadow:
                start = start with { Phase = DeploymentPhase.Shadowing };
                events.Add(new("shadow", $"version {candidate} gets {Percent(spec.ShadowPercent)} of requests as shadow copies",
                    new { candidate, stable = state.StableVersion, shadow_percent = spec.ShadowPercent }));
                return new Transition(start, events);
            case DeliveryStrategy.AB:
                start = start with { Phase = DeploymentPhase.Experimenting, CandidateWeight = spec.CandidateWeight };
                events.Add(new("experiment", $"A/B: version {state.StableVersion} (A) {Percent(100 - spec.CandidateWeight)}, version {candidate} (B) {Percent(spec.CandidateWeight)}",
                    new { candidate, stable = state.StableVersion, candidate_weight = spec.CandidateWeight }));
                return new Transition(start, events);
            default:
                start = start with { Phase = DeploymentPhase.Progressing };
                events.Add(new("canary", $"canary of version {candidate} started: {spec.Steps.Count} steps", new { candidate, stable = state.StableVersion }));
                var advanced = Advance(spec, start, now);
                events.AddRange(advanced.Events);
                return new Transition(advanced.State, events);
        }
    }

    /// <summary>Runs the canary's steps that are due at <paramref name="now"/>; promotes when the last is done.</summary>
    public static Transition Advance(DeploymentSpec spec, DeploymentState state, DateTimeOffset now)
    {
        if (state.Phase != DeploymentPhase.Progressing)
        {
            return new Transition(state, []);
        }

        var events = new List<PlannedEvent>();
        while (state.StepIndex < spec.Steps.Count)
        {
            var step = spec.Steps[state.StepIndex];
            if (step.SetWeight is { } weight)
            {
                state = state with { CandidateWeight = weight, StepIndex = state.StepIndex + 1, StepStartedAt = now };
                events.Add(new("weight", $"step {state.StepIndex}: version {state.CandidateVersion} gets {Percent(weight)} of traffic",
                    new { step = state.StepIndex, candidate_weight = weight }));
                continue;
            }

            var pause = step.Pause!;
            if (pause.Duration is not { } duration)
            {
                state = state with { Phase = DeploymentPhase.Paused, Reason = $"step {state.StepIndex + 1}: paused until resumed or promoted" };
                events.Add(new("paused", state.Reason, new { step = state.StepIndex + 1 }));
                return new Transition(state, events);
            }

            var started = state.StepStartedAt ?? now;
            if (now - started < duration)
            {
                return new Transition(state, events);
            }

            state = state with { StepIndex = state.StepIndex + 1, StepStartedAt = now };
            events.Add(new("step", $"step {state.StepIndex}: pause of {duration} done", new { step = state.StepIndex, pause = duration }));
        }

        if (state.AwaitingLabels)
        {
            // The steps are done, but a realised check has not yet seen enough labels: promoting now would skip it.
            var waiting = "all canary steps done; waiting for enough labelled predictions before promoting";
            return new Transition(state.Reason == waiting ? state : state with { Reason = waiting }, events);
        }

        var promoted = Promote(state, "all canary steps done");
        events.AddRange(promoted.Events);
        return new Transition(promoted.State, events);
    }

    /// <summary>Applies one analysis window's results: abort on failures beyond the limit, pause on an inconclusive result.</summary>
    public static Transition Analyse(DeploymentSpec spec, DeploymentState state, IReadOnlyList<CheckResult> results, DateTimeOffset now)
    {
        var failures = new Dictionary<string, int>(state.Failures);
        var checks = spec.Analysis?.Checks ?? [];
        CheckResult? failed = null;
        CheckResult? inconclusive = null;
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            if (result.Outcome == CheckOutcome.Failure)
            {
                var count = failures.GetValueOrDefault(result.Check) + 1;
                failures[result.Check] = count;
                if (count > checks[i].FailureLimit && failed is null)
                {
                    failed = result;
                }
            }
            else if (result.Outcome == CheckOutcome.Inconclusive && inconclusive is null)
            {
                inconclusive = result;
            }
        }

        var decision = failed is not null ? "abort" : inconclusive is not null ? "pause" : Decided(results) ? "continue" : "wait";
        var awaitingLabels = false;
        for (var i = 0; i < results.Count; i++)
        {
            awaitingLabels |= checks[i].NeedsLabels && results[i].Outcome == CheckOutcome.TooFewSamples;
        }

        state = state with { LastAnalysisAt = now, Failures = failures, AwaitingLabels = awaitingLabels, LastAnalysis = results };
        var events = new List<PlannedEvent>
        {
            new("analysis", $"analysis of version {state.CandidateVersion}: {Summary(results)} -> {decision}",
                new { candidate = state.CandidateVersion, stable = state.StableVersion, candidate_weight = state.CandidateWeight, decision, checks = results }),
        };
        if (failed is not null)
        {
            var aborted = Abort(state, $"check {failed.Check} failed: {Number(failed.Value)} {failed.FailureBound} over {failed.CandidateSamples} {SampleName(failed.Metric)}");
            events.AddRange(aborted.Events);
            return new Transition(aborted.State, events);
        }

        if (inconclusive is not null)
        {
            state = state with
            {
                Phase = DeploymentPhase.Paused,
                Reason = $"check {inconclusive.Check} inconclusive: {Number(inconclusive.Value)} is between {Number(inconclusive.SucceedAtMost ?? inconclusive.SucceedAtLeast)} and {Number(inconclusive.FailAbove ?? inconclusive.FailBelow)}; a person decides",
            };
            events.Add(new("paused", state.Reason, new { check = inconclusive.Check, value = inconclusive.Value }));
        }

        return new Transition(state, events);
    }

    public static Transition Promote(DeploymentState state, string why)
    {
        if (!InFlight(state))
        {
            throw new DeploymentConflictException("there is no candidate to promote");
        }

        var candidate = state.CandidateVersion!.Value;
        var promoted = state with
        {
            PreviousStableVersion = state.StableVersion,
            StableVersion = candidate,
            CandidateVersion = null,
            Phase = DeploymentPhase.Stable,
            CandidateWeight = 0,
            StepStartedAt = null,
            Reason = null,
        };
        return new Transition(promoted, [new("promoted", $"version {candidate} promoted ({why}); version {state.StableVersion} kept for rollback",
            new { stable = candidate, previous_stable = state.StableVersion })]);
    }

    public static Transition Abort(DeploymentState state, string why)
    {
        if (!InFlight(state))
        {
            throw new DeploymentConflictException("there is no rollout in progress to abort");
        }

        var aborted = state with { Phase = DeploymentPhase.Aborted, CandidateWeight = 0, Reason = why };
        return new Transition(aborted, [new("aborted", $"rollout of version {state.CandidateVersion} aborted: {why}; all traffic on version {state.StableVersion}",
            new { candidate = state.CandidateVersion, stable = state.StableVersion, reason = why })]);
    }

    /// <summary>Back to the previous stable version at once; a rollout in flight is aborted instead.</summary>
    public static Transition Rollback(DeploymentState state, string why)
    {
        if (InFlight(state))
        {
            return Abort(state, why);
        }

        if (state.PreviousStableVersion is not { } previous)
        {
            throw new DeploymentConflictException("there is no previous stable version to roll back to");
        }

        var rolledBack = state with { StableVersion = previous, PreviousStableVersion = state.StableVersion, Phase = DeploymentPhase.Stable, Reason = why };
        return new Transition(rolledBack, [new("rolled_back", $"rolled back from version {state.StableVersion} to version {previous}: {why}",
            new { stable = previous, rolled_back = state.StableVersion })]);
    }

    public static Transition Pause(DeploymentState state, string why)
    {
        if (state.Phase != DeploymentPhase.Progressing)
        {
            throw new DeploymentConflictException($"only a progressing canary can be paused; this deployment is {Phase(state)}");
        }

        var paused = state with { Phase = DeploymentPhase.Paused, Reason = why };
        return new Transition(paused, [new("paused", why, new { step = state.StepIndex + 1 })]);
    }

    /// <summary>Resumes a paused canary; a pause step without a duration is stepped past.</summary>
    public static Transition Resume(DeploymentSpec spec, DeploymentState state, DateTimeOffset now)
    {
        if (state.Phase != DeploymentPhase.Paused)
        {
            throw new DeploymentConflictException($"only a paused canary can be resumed; this deployment is {Phase(state)}");
        }

        var step = state.StepIndex < spec.Steps.Count ? spec.Steps[state.StepIndex] : null;
        var skip = step?.Pause is { Duration: null };
        var resumed = state with
        {
            Phase = DeploymentPhase.Progressing,
            Reason = null,
            StepIndex = skip ? state.StepIndex + 1 : state.StepIndex,
            StepStartedAt = skip ? now : state.StepStartedAt,
            LastAnalysisAt = now,
        };
        var events = new List<PlannedEvent> { new("resumed", $"canary resumed at step {resumed.StepIndex + 1}", new { step = resumed.StepIndex + 1 }) };
        var advanced = Advance(spec, resumed, now);
        events.AddRange(advanced.Events);
        return new Transition(advanced.State, events);
    }

    private static bool NeedsLabels(DeploymentSpec spec)
    {
        foreach (var check in spec.Analysis?.Checks ?? [])
        {
            if (check.NeedsLabels)
            {
                return true;
            }
        }

        return false;
    }

    private static string SampleName(CheckMetric metric) => metric is CheckMetric.Accuracy or CheckMetric.Mae ? "labelled predictions" : "requests";

    private static bool Decided(IReadOnlyList<CheckResult> results)
    {
        foreach (var r in results)
        {
            if (r.Outcome == CheckOutcome.TooFewSamples)
            {
                return false;
            }
        }

        return results.Count > 0;
    }

    private static string Summary(IReadOnlyList<CheckResult> results)
    {
        if (results.Count == 0)
        {
            return "no checks";
        }

        return string.Join(", ", results.Select(r => r.Outcome == CheckOutcome.TooFewSamples
            ? $"{r.Check} too few samples ({r.CandidateSamples} < {r.MinSamples})"
            : $"{r.Check}={Number(r.Value)} {OutcomeText(r.Outcome)} (fail {(r.FailBelow is null ? "above" : "below")} {Number(r.FailAbove ?? r.FailBelow)}, n={r.CandidateSamples})"));
    }

    private static string OutcomeText(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Success => "success",
        CheckOutcome.Failure => "failure",
        _ => "inconclusive",
    };

    private static string Phase(DeploymentState state) => state.Phase.ToString().ToLowerInvariant();

    private static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-";
}
