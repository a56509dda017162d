using Ferry.Delivery.Live;
using Ferry.Delivery.Model;
using Ferry.Delivery.Routing;

namespace Ferry.Delivery.Control;

/// <summary>Turns deployments into the data plane's routing table and hands it to the router in one swap.</summary>
public sealed class RoutingTableBuilder(DeploymentRouter router, LiveStats stats)
{
    public void Publish(IEnumerable<Deployment> deployments)
    {
        var entries = new Dictionary<string, RouteEntry>(StringComparer.Ordinal);
        foreach (var d in deployments)
        {
            Add(entries, d);
        }

        router.Publish(new RoutingTable(entries));
    }

    private void Add(Dictionary<string, RouteEntry> entries, Deployment d)
    {
        var state = d.State;
        var stable = state.StableVersion;
        var candidate = state.CandidateVersion;
        var weighted = candidate is not null && state.Phase is DeploymentPhase.Progressing or DeploymentPhase.Paused or DeploymentPhase.Experimenting;
        var candidateBuckets = weighted ? (int)Math.Round(state.CandidateWeight * (StableHash.Buckets / 100.0)) : 0;
        Variant[] variants = candidateBuckets switch
        {
            <= 0 => [new Variant("stable", stable, StableHash.Buckets, stats.For(d.Name, stable))],
            >= StableHash.Buckets => [new Variant("candidate", candidate!.Value, StableHash.Buckets, stats.For(d.Name, candidate.Value))],
            _ =>
            [
                new Variant("stable", stable, StableHash.Buckets - candidateBuckets, stats.For(d.Name, stable)),
                new Variant("candidate", candidate!.Value, StableHash.Buckets, stats.For(d.Name, candidate.Value)),
            ],
        };

        var previewed = candidate is not null && state.Phase is DeploymentPhase.Preview or DeploymentPhase.Progressing or DeploymentPhase.Paused;
        var preview = previewed ? new Variant("candidate", candidate!.Value, StableHash.Buckets, stats.For(d.Name, candidate.Value)) : null;
        var shadow = candidate is not null && state.Phase == DeploymentPhase.Shadowing
            ? new ShadowRoute(candidate.Value, candidate.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Spec.ShadowPercent, d.Spec.ShadowTimeout, stats.ShadowFor(d.Name))
            : null;
        entries[d.Name] = new RouteEntry(d.Name, d.Model, variants, preview, shadow);
        if (preview is not null)
        {
            entries[d.Name + DeploymentRouter.PreviewSuffix] = new RouteEntry(d.Name, d.Model, [preview], preview, null);
        }
    }
}
