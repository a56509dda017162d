namespace Ferry.Batch.Models;

/// <summary>
/// Turns a model reference into a file to load. Today the model repository answers; the registry (aliases,
/// <c>NAME@ALIAS</c>) plugs in as a second implementation when its branch is merged.
/// </summary>
public interface IModelResolver
{
    /// <exception cref="FerryException">NotFound when the model or version does not exist.</exception>
    Task<ResolvedModel> ResolveAsync(ModelReference reference, CancellationToken cancellationToken);
}
