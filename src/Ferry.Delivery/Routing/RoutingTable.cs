using System.Collections.Frozen;

namespace Ferry.Delivery.Routing;

/// <summary>Every routed name (deployments and their <c>-preview</c> names) to its entry; frozen, swapped whole.</summary>
public sealed class RoutingTable
{
    public RoutingTable(IDictionary<string, RouteEntry> entries)
    {
        Entries = entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static RoutingTable Empty { get; } = new(new Dictionary<string, RouteEntry>());

    public FrozenDictionary<string, RouteEntry> Entries { get; }
}
