using Ferry.Inference.Models;
using Microsoft.Extensions.Hosting;

namespace Ferry.Server.Hosting;

/// <summary>Loads the repositories' models once the server listens, so liveness answers while they load.</summary>
public sealed class ModelLoaderService : BackgroundService
{
    private readonly ModelManager _models;

    public ModelLoaderService(ModelManager models)
    {
        _models = models;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _models.LoadAllAsync(stoppingToken);
}
