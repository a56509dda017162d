using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Tracking;

/// <summary>Turns a <see cref="FerryException"/> from a management endpoint into problem details with the matching status.</summary>
internal sealed class ProblemErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (FerryException e)
        {
            var status = e.Code switch
            {
                ErrorCode.NotFound => StatusCodes.Status404NotFound,
                ErrorCode.AlreadyExists => StatusCodes.Status409Conflict,
                ErrorCode.InvalidArgument => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            };
            return Results.Problem(e.Message, statusCode: status, title: e.Code.ToString());
        }
        catch (BadHttpRequestException e)
        {
            return Results.Problem(e.Message, statusCode: e.StatusCode);
        }
    }
}
