namespace Ferry.Delivery.Model;

/// <summary>A deployment as read from the store: a named endpoint that routes its traffic between versions of one model.</summary>
public sealed record Deployment
{
    public required string Name { get; init; }

    public required string Model { get; init; }

    public required DeploymentSpec Spec { get; init; }

    public required DeploymentState State { get; init; }

    public long Revision { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The versions that must be loaded for this deployment to serve and to roll back at once.</summary>
    public IReadOnlyList<long> ServedVersions
    {
        get
        {
            var versions = new SortedSet<long> { State.StableVersion };
            if (State.CandidateVersion is { } c && State.Phase is not (DeploymentPhase.Aborted or DeploymentPhase.Stable))
            {
                versions.Add(c);
            }

            if (State.PreviousStableVersion is { } p)
            {
                versions.Add(p);
            }

            return [.. versions];
        }
    }
}
