namespace Ferry.Delivery.Routing;

/// <summary>
/// The data plane's view of deployments: an immutable <see cref="RoutingTable"/> that the control plane replaces
/// atomically on every change. Routing a request is one dictionary lookup and, with a key, one hash; names that
/// are not deployments cost the lookup only. Nothing here calls the store, so serving goes on when it is down.
/// </summary>
public sealed class DeploymentRouter
{
    /// <summary>Sends a request to the candidate of a deployment that has one in preview (blue/green, canary).</summary>
    public const string PreviewHeader = "x-ferry-preview";

    /// <summary>The response header naming the version that answered.</summary>
    public const string VersionHeader = "x-ferry-model-version";

    /// <summary>The suffix of a deployment's preview name: <c>/v2/models/{deployment}-preview/infer</c>.</summary>
    public const string PreviewSuffix = "-preview";

    private volatile RoutingTable _table = RoutingTable.Empty;

    public DeploymentRouter(DeliveryOptions options)
    {
        KeyHeader = options.KeyHeader;
    }

    /// <summary>The request header (and gRPC metadata key) holding the assignment key; <c>x-ferry-key</c> by default.</summary>
    public string KeyHeader { get; }

    public RoutingTable Table => _table;

    /// <summary>Swaps the table; requests already routed keep the entry they read.</summary>
    public void Publish(RoutingTable table) => _table = table;

    /// <summary>The entry of <paramref name="name"/> when it is a deployment (or its preview name): the one lookup a request pays.</summary>
    public bool TryGetEntry(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RouteEntry? entry) =>
        _table.Entries.TryGetValue(name, out entry);

    /// <summary>
    /// Picks the variant of <paramref name="entry"/> for one request. A key picks a bucket by <see cref="StableHash"/>;
    /// no key picks one at random. <paramref name="preview"/> picks the candidate when the deployment has one in preview.
    /// </summary>
    public static RouteDecision Route(RouteEntry entry, ReadOnlySpan<char> key, bool preview)
    {
        if (preview && entry.Preview is { } candidate)
        {
            return new RouteDecision(entry, candidate);
        }

        var bucket = key.IsEmpty ? Random.Shared.Next(StableHash.Buckets) : StableHash.Bucket(key, entry.Deployment);
        return new RouteDecision(entry, entry.Pick(bucket));
    }

    /// <summary>Routes a request for <paramref name="name"/>: false when it is not a deployment.</summary>
    public bool TryRoute(string name, ReadOnlySpan<char> key, bool preview, out RouteDecision decision)
    {
        if (!TryGetEntry(name, out var entry))
        {
            decision = default;
            return false;
        }

        decision = Route(entry, key, preview);
        return true;
    }

    /// <summary>Whether this request is copied to the shadow; a coin per request, so the share holds over any mix of keys.</summary>
    public static bool ShouldShadow(RouteEntry entry) =>
        entry.Shadow is { } shadow && (shadow.Percent >= 100 || Random.Shared.NextDouble() * 100 < shadow.Percent);
}
