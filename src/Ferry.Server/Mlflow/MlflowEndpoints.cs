using Ferry.Server.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Server.Mlflow;

/// <summary>The MLflow-compatible tracking API under <c>/api/2.0/mlflow</c>, so MLflow clients can log to Ferry.</summary>
public static class MlflowEndpoints
{
    public const string Prefix = "/api/2.0/mlflow";

    public static IEndpointRouteBuilder MapMlflowTracking(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).RequireToken(MlflowRegistryEndpoints.Role, MlflowRegistryEndpoints.Refusal);
        group.AddEndpointFilter<MlflowErrors>();
        MlflowExperimentEndpoints.Map(group);
        MlflowRunEndpoints.Map(group);
        return app;
    }
}
