using Ferry.Server.Registry;
using Ferry.Storage;
using Ferry.Tracking.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        group.RequireToken(Role, Refusal);
        group.AddEndpointFilter<MlflowErrors>();
        MlflowRegisteredModelEndpoints.Map(group);
        MlflowModelVersionEndpoints.Map(group);

        var tracking = app.MapGroup(MlflowEndpoints.Prefix).RequireToken(Role, Refusal);
        tracking.AddEndpointFilter<MlflowErrors>();
        MlflowArtifactEndpoints.MapList(tracking);
        MlflowArtifactEndpoints.MapProxy(app);
        return app;
    }

    /// <summary>
    /// The role an MLflow call needs: reads are GETs and the POSTs that only search or read
    /// (<c>.../search</c>, <c>get-latest-versions</c>); everything else changes something.
    /// </summary>
    internal static TokenRole Role(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || path.EndsWith("/search", StringComparison.Ordinal)
            || path.EndsWith("/get-latest-versions", StringComparison.Ordinal)
            ? TokenRole.Reader
            : TokenRole.Writer;
    }

    /// <summary>A refusal in MLflow's error shape, which its clients read.</summary>
    internal static IResult Refusal(int status, string detail) =>
        Results.Json(new { error_code = status == StatusCodes.Status401Unauthorized ? "UNAUTHENTICATED" : "PERMISSION_DENIED", message = detail }, statusCode: status);
}
