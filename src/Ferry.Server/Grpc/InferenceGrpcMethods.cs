using System.Reflection;
using Ferry.Server.Grpc.Protocol;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Ferry.Server.Grpc;

/// <summary>
/// Binds the RPCs of <c>GRPCInferenceService</c> to <see cref="InferenceGrpcService"/> with request parsers that
/// answer a malformed message with INVALID_ARGUMENT.
/// </summary>
/// <remarks>
/// The generated binding parses requests before any interceptor runs, and the framework answers a parse failure
/// with UNKNOWN. So the service does not derive from the generated base class (whose attribute would bind the
/// RPCs a second time); this provider takes the generated method descriptions, wraps their request parsers, and
/// points each at the service method of the same name. Reflection runs once, at start-up.
/// </remarks>
internal sealed class InferenceGrpcMethods : IServiceMethodProvider<InferenceGrpcService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<InferenceGrpcService> context) =>
        GRPCInferenceService.BindService(new Binder(context), null);

    private sealed class Binder : ServiceBinderBase
    {
        private readonly ServiceMethodProviderContext<InferenceGrpcService> _context;

        public Binder(ServiceMethodProviderContext<InferenceGrpcService> context)
        {
            _context = context;
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var target = typeof(InferenceGrpcService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, [typeof(TRequest), typeof(ServerCallContext)])
                ?? throw new InvalidOperationException($"{nameof(InferenceGrpcService)} has no method {method.Name}({typeof(TRequest).Name}, ServerCallContext)");
            var invoker = target.CreateDelegate<UnaryServerMethod<InferenceGrpcService, TRequest, TResponse>>();
            _context.AddUnaryMethod(WithCheckedParsing(method), [], invoker);
        }

        private static Method<TRequest, TResponse> WithCheckedParsing<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            var parse = method.RequestMarshaller.ContextualDeserializer;
            var requests = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
            {
                try
                {
                    return parse(context);
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"the {typeof(TRequest).Name} is not a valid protobuf message: {e.Message}"));
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
        }
    }
}
