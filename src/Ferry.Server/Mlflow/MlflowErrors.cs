using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Mlflow;

/// <summary>
/// MLflow's error answer, <c>{"error_code": ..., "message": ...}</c>, with the HTTP status MLflow's server gives each
/// code (RESOURCE_ALREADY_EXISTS is a 400 there, not a 409).
/// </summary>
internal sealed class MlflowErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (FerryException e)
        {
            return Error(e.Code, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return Results.Json(new { error_code = "INVALID_PARAMETER_VALUE", message = e.Message }, statusCode: e.StatusCode);
        }
    }

    public static IResult Error(ErrorCode code, string message)
    {
        var (name, status) = code switch
        {
            ErrorCode.NotFound => ("RESOURCE_DOES_NOT_EXIST", StatusCodes.Status404NotFound),
            ErrorCode.AlreadyExists => ("RESOURCE_ALREADY_EXISTS", StatusCodes.Status400BadRequest),
            ErrorCode.InvalidArgument => ("INVALID_PARAMETER_VALUE", StatusCodes.Status400BadRequest),
            ErrorCode.PayloadTooLarge => ("INVALID_PARAMETER_VALUE", StatusCodes.Status413PayloadTooLarge),
            ErrorCode.Unavailable => ("TEMPORARILY_UNAVAILABLE", StatusCodes.Status503ServiceUnavailable),
            ErrorCode.ResourceExhausted => ("REQUEST_LIMIT_EXCEEDED", StatusCodes.Status429TooManyRequests),
            _ => ("INTERNAL_ERROR", StatusCodes.Status500InternalServerError),
        };
        return Results.Json(new { error_code = name, message }, statusCode: status);
    }
}
