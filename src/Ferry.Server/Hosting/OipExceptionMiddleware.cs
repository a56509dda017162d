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

    public Task InvokeAsync(HttpContext context)
    {
        Task task;
        OipRestEndpoints.ClearAnswersItself();
        try
        {
            task = _next(context);
        }
        catch (Exception e)
        {
            return AnswerAsync(context, e, _logger);
        }

        // Inference answers its own errors: a request waiting in a batch needs no second state machine watching it.
        if (task.IsCompletedSuccessfully || OipRestEndpoints.TakeAnswersItself(context))
        {
            return task;
        }

        return WatchAsync(context, task, _logger);
    }

    /// <summary>Answers a failure no handler answered: 500 in the protocol's shape, logged; the connection is dropped if writing fails.</summary>
    internal static async Task AnswerUnexpectedAsync(HttpContext context, Exception exception, ILogger logger)
    {
        LogUnexpected(logger, exception, context.Request.Path);
        try
        {
            await OipErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal error: " + exception.Message);
        }
        catch (Exception)
        {
            context.Abort();
        }
    }

    private static async Task WatchAsync(HttpContext context, Task task, ILogger logger)
    {
        try
        {
            await task;
        }
        catch (Exception e)
        {
            await AnswerAsync(context, e, logger);
        }
    }

    private static Task AnswerAsync(HttpContext context, Exception exception, ILogger logger) => exception switch
    {
        FerryException e => OipErrors.WriteAsync(context, OipErrors.StatusCode(e.Code), e.Message),
        BadHttpRequestException e => OipErrors.WriteAsync(context, e.StatusCode, e.Message),
        // The client went away; there is nobody to answer.
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => Task.CompletedTask,
        _ => AnswerUnexpectedAsync(context, exception, logger),
    };

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Unexpected error answering {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string path);
}
