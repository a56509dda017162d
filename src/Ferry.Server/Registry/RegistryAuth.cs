using Ferry.Storage;
using Ferry.Tracking.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Server.Registry;

/// <summary>Bearer-token checks for the management API and, when asked, for inference.</summary>
public static class RegistryAuth
{
    private const string ActorKey = "ferry.actor";
    private const string Anonymous = "anonymous";

    /// <summary>Who made the request: the token's name, or <c>anonymous</c> with auth off.</summary>
    public static string Actor(HttpContext context) => context.Items[ActorKey] as string ?? Anonymous;

    /// <summary>Null when the request may go on, else the refusal: 401 without a valid token, 403 for a role too low.</summary>
    public static async Task<IResult?> CheckAsync(HttpContext context, TokenRole required)
    {
        // A host without the registry (an embedding application, a test host) has no tokens either: auth is off.
        if (context.RequestServices.GetService<RegistryOptions>() is not { Auth: true })
        {
            return null;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(context, StatusCodes.Status401Unauthorized, "this call needs an 'Authorization: Bearer <token>' header");
        }

        var tokens = context.RequestServices.GetRequiredService<TokenService>();
        var token = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), context.RequestAborted).ConfigureAwait(false);
        if (token is null)
        {
            return Refuse(context, StatusCodes.Status401Unauthorized, "the token is unknown or revoked");
        }

        if (!TokenService.Allows(token.Role, required))
        {
            return Refuse(context, StatusCodes.Status403Forbidden,
                $"token '{token.Name}' has role {token.Role.ToString().ToLowerInvariant()}; this call needs {required.ToString().ToLowerInvariant()} or higher");
        }

        context.Items[ActorKey] = token.Name;
        return null;
    }

    /// <summary>
    /// Makes every endpoint of <paramref name="group"/> check the caller's token when auth is on (<see cref="CheckAsync"/>):
    /// <paramref name="role"/> says which role a request needs (default <see cref="RequiredRole"/>), and
    /// <paramref name="shape"/> gives a refusal the group's own error shape (default problem details).
    /// </summary>
    public static TBuilder RequireToken<TBuilder>(this TBuilder group, Func<HttpRequest, TokenRole>? role = null, Func<int, string, IResult>? shape = null)
        where TBuilder : IEndpointConventionBuilder
    {
        var needs = role ?? RequiredRole;
        group.AddEndpointFilter(async (context, next) =>
        {
            var refused = await CheckAsync(context.HttpContext, needs(context.HttpContext.Request)).ConfigureAwait(false);
            if (refused is null)
            {
                return await next(context).ConfigureAwait(false);
            }

            return shape is not null && refused is ProblemHttpResult problem ? shape(problem.StatusCode, problem.ProblemDetails.Detail ?? "") : refused;
        });
        return group;
    }

    /// <summary>Reads need a reader token, changes a writer token.</summary>
    public static TokenRole RequiredRole(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? TokenRole.Reader : TokenRole.Writer;

    private static IResult Refuse(HttpContext context, int status, string detail)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return TypedResults.Problem(detail: detail, statusCode: status);
    }
}
