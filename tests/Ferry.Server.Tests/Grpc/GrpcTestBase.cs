using Ferry.Server.Grpc.Protocol;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Ferry.Server.Tests.Grpc;

/// <summary>A real gRPC channel to the fixture's HTTP/2 port, and request builders shared by the gRPC tests.</summary>
public abstract class GrpcTestBase : IDisposable
{
    private readonly GrpcChannel _channel;

    protected GrpcTestBase(ServingFixture server)
    {
        Server = server;
        _channel = GrpcChannel.ForAddress(server.GrpcAddress);
        Client = new GRPCInferenceService.GRPCInferenceServiceClient(_channel);
    }

    protected ServingFixture Server { get; }

    protected GrpcChannel Channel => _channel;

    internal GRPCInferenceService.GRPCInferenceServiceClient Client { get; }

    public void Dispose()
    {
        _channel.Dispose();
        GC.SuppressFinalize(this);
    }

    internal static ModelInferRequest.Types.InferInputTensor Fp32Input(string name, long[] shape, params float[] values)
    {
        var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "FP32", Contents = new InferTensorContents() };
        input.Shape.AddRange(shape);
        input.Contents.Fp32Contents.AddRange(values);
        return input;
    }

    internal static ModelInferRequest AddRequest(params float[] a)
    {
        var request = new ModelInferRequest { ModelName = "add" };
        request.Inputs.Add(Fp32Input("a", [1, 4], a));
        request.Inputs.Add(Fp32Input("b", [1, 4], 1, 1, 1, 1));
        return request;
    }

    internal static ModelInferRequest.Types.InferInputTensor RawInput(string name, string datatype, params long[] shape)
    {
        var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = datatype };
        input.Shape.AddRange(shape);
        return input;
    }

    internal static ByteString RawFloats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>Calls and expects a failure with <paramref name="code"/>; returns the status detail to check.</summary>
    internal static async Task<string> AssertFailsAsync<T>(StatusCode code, AsyncUnaryCall<T> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.True(e.StatusCode == code, $"expected {code}, got {e.StatusCode}: {e.Status.Detail}");
        return e.Status.Detail;
    }
}
