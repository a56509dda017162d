using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Grpc;

/// <summary>
/// Turns exceptions escaping an RPC into a status: <see cref="FerryException"/> by its code, anything else as
/// INTERNAL with a log entry. Without it the framework would answer UNKNOWN and hide the message.
/// </summary>
internal sealed partial class GrpcErrorInterceptor : Interceptor
{
    private readonly ILogger<GrpcErrorInterceptor> _logger;

    public GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger)
    {
        _logger = logger;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (FerryException e)
        {
            throw GrpcErrors.ToRpcException(e);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        catch (Exception e)
        {
            LogUnexpected(e, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "internal error: " + e.Message, e));
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Unexpected error answering {Method}")]
    private partial void LogUnexpected(Exception exception, string method);
}
