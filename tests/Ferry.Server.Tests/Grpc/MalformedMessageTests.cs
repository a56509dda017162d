using Grpc.Core;

namespace Ferry.Server.Tests.Grpc;

[Collection(ServingCollection.Name)]
public sealed class MalformedMessageTests : GrpcTestBase
{
    /// <summary>ModelInfer called with bytes as they are, so that the client sends what no generated client would.</summary>
    private static readonly Method<byte[], byte[]> RawModelInfer = new(
        MethodType.Unary,
        "inference.GRPCInferenceService",
        "ModelInfer",
        Marshallers.Create(bytes => bytes, bytes => bytes),
        Marshallers.Create(bytes => bytes, bytes => bytes));

    public MalformedMessageTests(ServingFixture server)
        : base(server)
    {
    }

    [Fact]
    public async Task ModelInfer_WithBytesThatAreNotAProtobufMessage_ReturnsInvalidArgument()
    {
        // Field 1 (model_name) claims a length far beyond the message.
        byte[] garbage = [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01];

        var call = Channel.CreateCallInvoker().AsyncUnaryCall(RawModelInfer, null, default, garbage);

        await AssertFailsAsync(StatusCode.InvalidArgument, call);
    }
}
