using Ferry.Server.Rest;
using Ferry.Storage;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Registry;

/// <summary>
/// Protects inference (REST <c>/v2</c> and gRPC) with a reader token when <see cref="RegistryOptions.ProtectInference"/>
/// is on. Health probes stay open: Kubernetes has no token.
/// </summary>
public sealed class InferenceAuthMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var isInference = (path.StartsWithSegments("/v2") && !path.StartsWithSegments("/v2/health"))
            || path.StartsWithSegments("/inference.GRPCInferenceService");
        if (isInference && await RegistryAuth.CheckAsync(context, TokenRole.Reader).ConfigureAwait(false) is not null)
        {
            // The protocol's own error shape, not problem details: clients of the inference API parse {"error": ...}.
            var status = context.Response.Headers.WWWAuthenticate.Count > 0 ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            await OipErrors.WriteAsync(context, status, status == StatusCodes.Status401Unauthorized ? "a valid bearer token is needed" : "the token's role may not infer")
                .ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
