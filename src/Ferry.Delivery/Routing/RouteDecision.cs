namespace Ferry.Delivery.Routing;

/// <summary>The outcome of routing one request: the entry and the variant that answers it.</summary>
public readonly record struct RouteDecision(RouteEntry Entry, Variant Variant)
{
    /// <summary>The served name to run the request on (the deployment's).</summary>
    public string Target => Entry.Deployment;
}
