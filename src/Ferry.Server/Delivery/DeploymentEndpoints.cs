using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Delivery.Control;
using Ferry.Delivery.Experiments;
using Ferry.Delivery.Gates;
using Ferry.Delivery.Model;
using Ferry.Delivery.Rollout;
using Ferry.Server.Registry;
using Ferry.Server.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Server.Delivery;

/// <summary>
/// The deployments' management API under <c>/api/v1/deployments</c>, with the registry's auth: reads need a reader
/// token, changes a writer token. Errors are problem details; a call the phase does not allow is 409.
/// </summary>
public static class DeploymentEndpoints
{
    public const string Prefix = "/api/v1/deployments";

    public static IEndpointRouteBuilder MapDeploymentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("deployments");
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await RegistryAuth.CheckAsync(context.HttpContext, RegistryAuth.RequiredRole(context.HttpContext.Request)).ConfigureAwait(false)
                    ?? await next(context).ConfigureAwait(false);
            }
            catch (FerryException e)
            {
                return TypedResults.Problem(detail: e.Message, statusCode: e.Code == ErrorCode.AlreadyExists ? StatusCodes.Status409Conflict : OipErrors.StatusCode(e.Code));
            }
            catch (GateRefusedException e)
            {
                // 422: the request is well formed, but the version it names does not meet the deployment's gate.
                return TypedResults.Problem(
                    detail: e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "gate failed",
                    extensions: new Dictionary<string, object?> { ["gate"] = JsonSerializer.SerializeToElement(e.Report, DeliveryJson.Options) });
            }
            catch (DeploymentConflictException e)
            {
                return TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status409Conflict);
            }
            catch (BadHttpRequestException e)
            {
                return TypedResults.Problem(detail: e.Message, statusCode: e.StatusCode);
            }
        });

        group.MapPost("", CreateAsync).WithSummary("Creates a deployment: name, model, stable_version, strategy and its settings; a candidate_version starts a rollout.");
        group.MapGet("", ListAsync).WithSummary("Every deployment with its state.");
        group.MapGet("/{name}", GetAsync).WithSummary("A deployment with its live per-variant measurements, shadow comparison and A/B verdict.");
        group.MapPut("/{name}/candidate", SetCandidateAsync).WithSummary("Starts a rollout of candidate_version, optionally with new settings.");
        group.MapPost("/{name}/promote", (HttpContext http, DeploymentService s, string name, CancellationToken ct) =>
            ActAsync(http, (reason, actor) => s.PromoteAsync(name, actor, reason, ct)));
        group.MapPost("/{name}/abort", (HttpContext http, DeploymentService s, string name, CancellationToken ct) =>
            ActAsync(http, (reason, actor) => s.AbortAsync(name, actor, reason, ct)));
        group.MapPost("/{name}/rollback", (HttpContext http, DeploymentService s, string name, CancellationToken ct) =>
            ActAsync(http, (reason, actor) => s.RollbackAsync(name, actor, reason, ct)));
        group.MapPost("/{name}/pause", (HttpContext http, DeploymentService s, string name, CancellationToken ct) =>
            ActAsync(http, (reason, actor) => s.PauseAsync(name, actor, reason, ct)));
        group.MapPost("/{name}/resume", (HttpContext http, DeploymentService s, string name, CancellationToken ct) =>
            ActAsync(http, (_, actor) => s.ResumeAsync(name, actor, ct)));
        group.MapGet("/{name}/history", HistoryAsync).WithSummary("Every transition and analysis decision with its numbers, oldest first; page with ?after=ID.");
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, DeploymentService service, DeploymentStatusFactory status, CancellationToken ct)
    {
        var request = await ReadAsync(http, ct).ConfigureAwait(false) ?? throw FerryException.Invalid("the body must be a JSON object describing the deployment");
        var created = await service.CreateAsync(request, RegistryAuth.Actor(http), ct).ConfigureAwait(false);
        return Results.Json(status.Of(created), DeliveryJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(DeploymentService service, DeploymentStatusFactory status, CancellationToken ct)
    {
        var all = await service.ListAsync(ct).ConfigureAwait(false);
        return Results.Json(new { deployments = all.Select(status.Of).ToArray() }, DeliveryJson.Options);
    }

    private static async Task<IResult> GetAsync(string name, DeploymentService service, DeploymentStatusFactory status, CancellationToken ct) =>
        Results.Json(status.Of(await service.GetAsync(name, ct).ConfigureAwait(false)), DeliveryJson.Options);

    private static async Task<IResult> SetCandidateAsync(HttpContext http, string name, DeploymentService service, DeploymentStatusFactory status, CancellationToken ct)
    {
        var request = await ReadAsync(http, ct).ConfigureAwait(false) ?? throw FerryException.Invalid("the body must be a JSON object with candidate_version");
        var updated = await service.SetCandidateAsync(name, request, RegistryAuth.Actor(http), ct).ConfigureAwait(false);
        return Results.Json(status.Of(updated), DeliveryJson.Options);
    }

    private static async Task<IResult> HistoryAsync(string name, DeploymentService service, long? after, int? limit, CancellationToken ct)
    {
        await service.GetAsync(name, ct).ConfigureAwait(false);
        var events = await service.HistoryAsync(name, after ?? 0, Math.Clamp(limit ?? 1000, 1, 10_000), ct).ConfigureAwait(false);
        return Results.Json(new
        {
            events = events.Select(e => new
            {
                id = e.Id,
                kind = e.Kind,
                message = e.Message,
                detail = e.Detail is null ? (JsonElement?)null : JsonDocument.Parse(e.Detail).RootElement,
                actor = e.Actor,
                at = e.At,
            }).ToArray(),
        }, DeliveryJson.Options);
    }

    private static async Task<IResult> ActAsync(HttpContext http, Func<string?, string, Task<Deployment>> act)
    {
        var request = await ReadAsync(http, http.RequestAborted).ConfigureAwait(false);
        var updated = await act(request?.Reason, RegistryAuth.Actor(http)).ConfigureAwait(false);
        return Results.Json(http.RequestServices.GetRequiredService<DeploymentStatusFactory>().Of(updated), DeliveryJson.Options);
    }

    /// <summary>The body as a request; null when empty. Malformed JSON is a 400 that names where it broke.</summary>
    private static async Task<DeploymentRequest?> ReadAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength == 0)
        {
            return null;
        }

        try
        {
            var node = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct).ConfigureAwait(false);
            GatePolicy? gates = null;
            if (node is JsonObject body && body.Remove("gates", out var policy) && policy is not null)
            {
                gates = GateRequestReader.ReadPolicy(JsonSerializer.SerializeToElement(policy), "gates");
            }

            var request = node.Deserialize<DeploymentRequest>(DeliveryJson.Options);
            return request is null || gates is null ? request : request with { Gates = gates };
        }
        catch (JsonException e)
        {
            var at = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the body" : $"'{e.Path.TrimStart('$', '.')}'";
            throw FerryException.Invalid($"{at} is not valid: {e.Message}");
        }
    }
}

/// <summary>Builds the status view of a deployment from this replica's live measurements.</summary>
public sealed class DeploymentStatusFactory(DeploymentService service, IExperimentAnalyzer analyzer)
{
    public DeploymentStatus Of(Deployment deployment) => DeploymentStatus.Of(deployment, service.Stats, analyzer);
}
