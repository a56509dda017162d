using Ferry.Server.Rest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Hosting;

/// <summary>Turns errors escaping an endpoint into the protocol's <c>{"error": ...}</c> answer with the right status.</summary>
public sealed partial class OipExceptionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<OipExceptionMiddleware> _logger;

    public OipExceptionMiddleware(RequestDelegate next, ILogger<OipExceptionMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context);
        }
        catch (FerryException e)
        {
            await OipErrors.WriteAsync(context, OipErrors.StatusCode(e.Code), e.Message);
        }
        catch (BadHttpRequestException e)
        {
            await OipErrors.WriteAsync(context, e.StatusCode, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e)
        {
            LogUnexpected(e, context.Request.Path);
            await OipErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal error: " + e.Message);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Unexpected error answering {Path}")]
    private partial void LogUnexpected(Exception exception, string path);
}
