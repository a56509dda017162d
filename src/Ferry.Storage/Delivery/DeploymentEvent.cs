namespace Ferry.Storage.Delivery;

/// <summary>
/// One line of a deployment's history: a transition (created, promoted, rolled back...) or an analysis decision,
/// with the numbers behind it as JSON in <see cref="Detail"/>.
/// </summary>
public sealed record DeploymentEvent
{
    /// <summary>Assigned by the store; increasing in the order events were written.</summary>
    public long Id { get; init; }

    public required string Deployment { get; init; }

    /// <summary>What happened: <c>created</c>, <c>promoted</c>, <c>analysis</c>, <c>aborted</c>...</summary>
    public required string Kind { get; init; }

    public required string Message { get; init; }

    /// <summary>The evidence (weights, versions, measured values and thresholds) as a JSON object, or null.</summary>
    public string? Detail { get; init; }

    public required string Actor { get; init; }

    public DateTimeOffset At { get; init; }
}
