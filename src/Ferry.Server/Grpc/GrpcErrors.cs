using Grpc.Core;

namespace Ferry.Server.Grpc;

/// <summary>
/// The one place where Ferry's error codes become gRPC status codes, so that every RPC answers a client
/// mistake with INVALID_ARGUMENT (never UNKNOWN or INTERNAL) and REST and gRPC agree on whose fault it was.
/// </summary>
internal static class GrpcErrors
{
    public static StatusCode StatusCodeOf(ErrorCode code) => code switch
    {
        ErrorCode.InvalidArgument => StatusCode.InvalidArgument,
        ErrorCode.NotFound => StatusCode.NotFound,
        ErrorCode.Unavailable => StatusCode.Unavailable,
        // gRPC itself reports an oversized message as RESOURCE_EXHAUSTED; a too-large tensor is the same thing.
        ErrorCode.PayloadTooLarge => StatusCode.ResourceExhausted,
        ErrorCode.ResourceExhausted => StatusCode.ResourceExhausted,
        ErrorCode.DeadlineExceeded => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };

    public static RpcException ToRpcException(FerryException exception) =>
        new(new Status(StatusCodeOf(exception.Code), exception.Message, exception));
}
