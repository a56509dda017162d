using Ferry.Inference.Models;

namespace Ferry.Batch.Models;

/// <summary>Resolves models from Triton-layout repositories: the given version, or the highest one.</summary>
public sealed class RepositoryModelResolver : IModelResolver
{
    private readonly ModelRepository _repository;

    public RepositoryModelResolver(ModelRepository repository)
    {
        _repository = repository;
    }

    public Task<ResolvedModel> ResolveAsync(ModelReference reference, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (reference.Alias is not null)
        {
            // The registry, which owns aliases, is not merged yet; say so rather than guess a version.
            throw FerryException.NotFound($"model '{reference}': aliases need the model registry; give NAME or NAME:VERSION with --model-repository");
        }

        var dir = _repository.FindModel(reference.Name)
            ?? throw FerryException.NotFound($"model '{reference.Name}' is not in the model repositories ({string.Join(", ", _repository.Roots)})");
        var config = ModelConfig.Load(dir);
        var versions = ModelRepository.FindVersions(dir, config.ModelFileName);
        if (versions.Count == 0)
        {
            throw FerryException.NotFound($"model '{reference.Name}' has no version folder with {config.ModelFileName}");
        }

        var version = reference.Version ?? versions.Keys.Max();
        if (!versions.TryGetValue(version, out var path))
        {
            throw FerryException.NotFound($"model '{reference.Name}' has no version {version} (has {string.Join(", ", versions.Keys)})");
        }

        return Task.FromResult(new ResolvedModel { Name = reference.Name, Version = version, Path = path, ModelDirectory = dir });
    }
}
