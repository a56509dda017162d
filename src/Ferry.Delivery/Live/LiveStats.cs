using System.Collections.Concurrent;

namespace Ferry.Delivery.Live;

/// <summary>Every deployment's per-version measurements; they outlive routing tables, which are rebuilt on each change.</summary>
public sealed class LiveStats(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Deployment, long Version), VariantStats> _variants = new();
    private readonly ConcurrentDictionary<string, Shadow.ShadowStats> _shadows = new(StringComparer.Ordinal);

    public VariantStats For(string deployment, long version) =>
        _variants.GetOrAdd((deployment, version), _ => new VariantStats(time.GetUtcNow()));

    public Shadow.ShadowStats ShadowFor(string deployment) => _shadows.GetOrAdd(deployment, _ => new Shadow.ShadowStats());

    /// <summary>Starts a deployment's measurements over, for a new rollout.</summary>
    public void Reset(string deployment)
    {
        var now = time.GetUtcNow();
        foreach (var (key, stats) in _variants)
        {
            if (key.Deployment == deployment)
            {
                stats.Reset(now);
            }
        }

        _shadows.TryRemove(deployment, out _);
    }
}
