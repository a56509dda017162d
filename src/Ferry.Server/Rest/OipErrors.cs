using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Rest;

/// <summary>Maps errors to the Open Inference Protocol's REST shape: a status code and <c>{"error": "..."}</c>.</summary>
public static class OipErrors
{
    public static int StatusCode(ErrorCode code) => code switch
    {
        ErrorCode.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorCode.NotFound => StatusCodes.Status404NotFound,
        ErrorCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCode.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        ErrorCode.AlreadyExists => StatusCodes.Status409Conflict,
        // A request that waited out its queue timeout: the server is overloaded, the client may retry.
        ErrorCode.DeadlineExceeded => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(message), RestJson.Relaxed.ErrorBody);
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes).AsTask();
    }
}
