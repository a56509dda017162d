namespace Ferry.Storage.Delivery;

/// <summary>
/// Deployments and their history in the metadata store. Every write changes the deployment and appends its
/// history events in one transaction. A missing deployment throws NotFound, a taken name AlreadyExists, and a
/// write against a stale revision Conflict.
/// </summary>
public interface IDeploymentStore
{
    /// <summary>Inserts the deployment at revision 1 with its first history events.</summary>
    Task<DeploymentRecord> CreateAsync(DeploymentRecord deployment, IReadOnlyList<DeploymentEvent> events, CancellationToken cancellationToken);

    Task<DeploymentRecord?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every deployment, by name.</summary>
    Task<IReadOnlyList<DeploymentRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the document if the stored revision is still <paramref name="expectedRevision"/>, and appends the
    /// events; returns the record at its new revision.
    /// </summary>
    Task<DeploymentRecord> UpdateAsync(string name, long expectedRevision, string document, IReadOnlyList<DeploymentEvent> events, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The deployment's history, oldest first, after the event <paramref name="afterId"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DeploymentEvent>> ListEventsAsync(string name, long afterId, int limit, CancellationToken cancellationToken);
}
