namespace Ferry.Delivery.Control;

/// <summary>Loads the versions a deployment routes to into the data plane, under the deployment's name.</summary>
public interface IDeploymentServing
{
    /// <summary>
    /// Serves exactly <paramref name="versions"/> of <paramref name="model"/> under <paramref name="deployment"/>,
    /// loading those not loaded yet before returning; <paramref name="defaultVersion"/> answers requests that name none.
    /// Throws NotFound naming the version when the registry has no such version.
    /// </summary>
    Task PublishAsync(string deployment, string model, IReadOnlyList<long> versions, long defaultVersion, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="name"/> is already a model's name (repository or registry): deployments must not take it.</summary>
    Task<bool> IsModelNameAsync(string name, CancellationToken cancellationToken);
}
