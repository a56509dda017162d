using Ferry.Batch;
using Ferry.Batch.Models;
using Ferry.Inference.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ferry.Server.Batch;

public static class BatchServiceCollectionExtensions
{
    /// <summary>Registers the batch job service; models resolve from the server's repositories.</summary>
    public static IServiceCollection AddFerryBatchJobs(this IServiceCollection services, string home)
    {
        services.AddOptions<BatchJobsOptions>().Configure(o =>
        {
            if (o.DataRoot.Length == 0)
            {
                o.DataRoot = Path.Combine(home, "data");
            }
        });
        services.TryAddSingleton<IModelResolver>(sp => new RepositoryModelResolver(sp.GetRequiredService<ModelRepository>()));
        services.TryAddSingleton(sp => new BatchRunner(sp.GetRequiredService<IModelResolver>()));
        services.TryAddSingleton<BatchJobService>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchJobService>());
        return services;
    }
}
