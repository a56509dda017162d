using Ferry.Server.Registry;
using Ferry.Storage;
using Ferry.Tracking.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Server.Mlflow;

/// <summary>
/// MLflow's model registry and artifact endpoints, mapped when the server has a registry (they need its blob store).
/// Registry calls are checked like <c>/api/v1/registry</c>: with auth on, reads need a reader token and changes a
/// writer token; refusals come in MLflow's shape (UNAUTHENTICATED 401, PERMISSION_DENIED 403).
/// </summary>
public static class MlflowRegistryEndpoints
{
    public static IServiceCollection AddMlflowArtifacts(this IServiceCollection services)
    {
        services.TryAddSingleton<RunArtifacts>();
        return services;
    }

    public static IEndpointRouteBuilder MapMlflowRegistry(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(MlflowEndpoints.Prefix);
        group.AddEndpointFilter(async (context, next) => await CheckAsync(context.HttpContext) ?? await next(context));
        group.AddEndpointFilter<MlflowErrors>();
        MlflowRegisteredModelEndpoints.Map(group);
        MlflowModelVersionEndpoints.Map(group);

        var tracking = app.MapGroup(MlflowEndpoints.Prefix);
        tracking.AddEndpointFilter<MlflowErrors>();
        MlflowArtifactEndpoints.MapList(tracking);
        MlflowArtifactEndpoints.MapProxy(app);
        return app;
    }

    private static async Task<IResult?> CheckAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        var reads = HttpMethods.IsGet(http.Request.Method) || path.EndsWith("/search", StringComparison.Ordinal)
            || path.EndsWith("/get-latest-versions", StringComparison.Ordinal);
        return await RegistryAuth.CheckAsync(http, reads ? TokenRole.Reader : TokenRole.Writer) switch
        {
            null => null,
            ProblemHttpResult problem => Results.Json(
                new { error_code = problem.StatusCode == StatusCodes.Status401Unauthorized ? "UNAUTHENTICATED" : "PERMISSION_DENIED", message = problem.ProblemDetails.Detail },
                statusCode: problem.StatusCode),
            var other => other,
        };
    }
}
