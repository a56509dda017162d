using System.Text.Json;
using Ferry.Delivery.Gates;
using Ferry.Server.Registry;
using Ferry.Server.Rest;
using Ferry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;

namespace Ferry.Server.Delivery;

/// <summary>
/// <c>POST /api/v1/gates/check</c>: runs the gates on a registered version and answers 200 with the report whether
/// it passed or not; 400 names the bad fields, 404 an unknown model, version or dataset. Errors are problem details.
/// </summary>
public static class GateEndpoints
{
    public const string Prefix = "/api/v1/gates";

    public static IEndpointRouteBuilder MapGateApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("gates");
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                // A check only reads the registry, but it loads and runs models: a reader token is the least it takes.
                return await RegistryAuth.CheckAsync(context.HttpContext, TokenRole.Reader).ConfigureAwait(false)
                    ?? await next(context).ConfigureAwait(false);
            }
            catch (FerryException e)
            {
                return TypedResults.Problem(detail: e.Message, statusCode: OipErrors.StatusCode(e.Code), title: e.Code.ToString());
            }
            catch (BadHttpRequestException e)
            {
                return TypedResults.Problem(detail: e.Message, statusCode: e.StatusCode);
            }
        });
        group.MapPost("/check", CheckAsync)
            .WithSummary("Checks a model version: compatibility with a contract, size/latency/memory limits and an optimising metric against the champion.");
        return app;
    }

    private static async Task<Ok<GateReport>> CheckAsync(HttpRequest request, GateService gates, CancellationToken cancellationToken)
    {
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw FerryException.Invalid($"body: not valid JSON ({e.Message})");
        }

        using (body)
        {
            var gate = GateRequestReader.Read(body.RootElement);
            return TypedResults.Ok(await gates.CheckAsync(gate, cancellationToken).ConfigureAwait(false));
        }
    }
}
