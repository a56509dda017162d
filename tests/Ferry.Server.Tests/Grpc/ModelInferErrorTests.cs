using Ferry.Server.Grpc.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace Ferry.Server.Tests.Grpc;

[Collection(ServingCollection.Name)]
public sealed class ModelInferErrorTests : GrpcTestBase
{
    public ModelInferErrorTests(ServingFixture server)
        : base(server)
    {
    }

    [Fact]
    public async Task ModelInfer_UnknownModel_ReturnsNotFound()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.ModelName = "nope";
        var detail = await AssertFailsAsync(StatusCode.NotFound, Client.ModelInferAsync(request));
        Assert.Contains("'nope'", detail);
    }

    [Fact]
    public async Task ModelInfer_UnknownVersion_ReturnsNotFound()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.ModelVersion = "7";
        await AssertFailsAsync(StatusCode.NotFound, Client.ModelInferAsync(request));
    }

    [Fact]
    public async Task ModelInfer_WithoutModelName_ReturnsInvalidArgument()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.ModelName = "";
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("model_name", detail);
    }

    [Fact]
    public async Task ModelInfer_WithoutInputs_ReturnsInvalidArgument()
    {
        await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(new ModelInferRequest { ModelName = "add" }));
    }

    [Fact]
    public async Task ModelInfer_WithWrongDatatype_ReturnsInvalidArgumentNamingInput()
    {
        var request = AddRequest(1, 2, 3, 4);
        var a = new ModelInferRequest.Types.InferInputTensor { Name = "a", Datatype = "INT32", Contents = new InferTensorContents() };
        a.Shape.AddRange([1, 4]);
        a.Contents.IntContents.AddRange([1, 2, 3, 4]);
        request.Inputs[0] = a;
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'a'", detail);
        Assert.Contains("FP32", detail);
    }

    [Fact]
    public async Task ModelInfer_WithUnknownDatatype_ReturnsInvalidArgumentNamingInput()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Inputs[1].Datatype = "FP128";
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'b'", detail);
        Assert.Contains("FP128", detail);
    }

    [Fact]
    public async Task ModelInfer_WithWrongShape_ReturnsInvalidArgumentNamingInput()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Inputs[1] = Fp32Input("b", [1, 3], 1, 1, 1);
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'b'", detail);
        Assert.Contains("[1,3]", detail);
    }

    [Fact]
    public async Task ModelInfer_WithNegativeDimension_ReturnsInvalidArgumentNamingInput()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Inputs[0] = Fp32Input("a", [-1, 4]);
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'a'", detail);
    }

    [Fact]
    public async Task ModelInfer_WithBatchAboveMaxBatchSize_ReturnsInvalidArgumentNamingInput()
    {
        var request = new ModelInferRequest { ModelName = "add" };
        request.Inputs.Add(Fp32Input("a", [9, 4], new float[36]));
        request.Inputs.Add(Fp32Input("b", [9, 4], new float[36]));
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("max_batch_size", detail);
    }

    [Fact]
    public async Task ModelInfer_WithMissingInput_ReturnsInvalidArgumentNamingInput()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Inputs.RemoveAt(1);
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("missing input 'b'", detail);
    }

    [Fact]
    public async Task ModelInfer_WithUnknownInput_ReturnsInvalidArgumentNamingInput()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Inputs.Add(Fp32Input("c", [1, 4], 1, 1, 1, 1));
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("unknown input 'c'", detail);
    }

    [Fact]
    public async Task ModelInfer_WithUnknownRequestedOutput_ReturnsInvalidArgumentNamingOutput()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "quotient" });
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'quotient'", detail);
    }

    [Fact]
    public async Task ModelInfer_WithFewerElementsThanShape_ReturnsInvalidArgumentNamingInput()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Inputs[0] = Fp32Input("a", [1, 4], 1, 2, 3);
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'a'", detail);
        Assert.Contains("fp32_contents has 3", detail);
    }

    [Fact]
    public async Task ModelInfer_WithElementsInTheWrongContentsField_ReturnsInvalidArgumentNamingInput()
    {
        var request = AddRequest(1, 2, 3, 4);
        var a = new ModelInferRequest.Types.InferInputTensor { Name = "a", Datatype = "FP32", Contents = new InferTensorContents() };
        a.Shape.AddRange([1, 4]);
        a.Contents.Fp64Contents.AddRange([1, 2, 3, 4]);
        request.Inputs[0] = a;
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'a'", detail);
        Assert.Contains("fp64_contents", detail);
    }

    [Fact]
    public async Task ModelInfer_WithNarrowIntegerOutOfRange_ReturnsInvalidArgumentNamingInput()
    {
        var request = new ModelInferRequest { ModelName = ServingFixture.IdentityName(DataType.Int8) };
        var x = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "INT8", Contents = new InferTensorContents() };
        x.Shape.AddRange([1, 3]);
        x.Contents.IntContents.AddRange([1, 300, 2]);
        request.Inputs.Add(x);
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'x'", detail);
        Assert.Contains("300", detail);
    }

    [Fact]
    public async Task ModelInfer_Fp16InTypedContents_ReturnsInvalidArgumentPointingToRaw()
    {
        var request = new ModelInferRequest { ModelName = ServingFixture.IdentityName(DataType.Fp16) };
        var x = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP16", Contents = new InferTensorContents() };
        x.Shape.AddRange([1, 3]);
        x.Contents.Fp32Contents.AddRange([1, 2, 3]);
        request.Inputs.Add(x);
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'x'", detail);
        Assert.Contains("raw_input_contents", detail);
    }

    [Fact]
    public async Task ModelInfer_WithFewerRawContentsThanInputs_ReturnsInvalidArgument()
    {
        var request = new ModelInferRequest { ModelName = "add" };
        request.Inputs.Add(RawInput("a", "FP32", 1, 4));
        request.Inputs.Add(RawInput("b", "FP32", 1, 4));
        request.RawInputContents.Add(RawFloats(1, 2, 3, 4));
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("raw_input_contents has 1 entries", detail);
    }

    [Fact]
    public async Task ModelInfer_WithRawContentsOfWrongSize_ReturnsInvalidArgumentNamingInput()
    {
        var request = new ModelInferRequest { ModelName = "add" };
        request.Inputs.Add(RawInput("a", "FP32", 1, 4));
        request.Inputs.Add(RawInput("b", "FP32", 1, 4));
        request.RawInputContents.Add(RawFloats(1, 2, 3, 4));
        request.RawInputContents.Add(RawFloats(1, 2, 3));
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'b'", detail);
        Assert.Contains("12 bytes", detail);
    }

    [Fact]
    public async Task ModelInfer_WithRawAndTypedContentsTogether_ReturnsInvalidArgumentNamingInput()
    {
        var request = new ModelInferRequest { ModelName = "add" };
        request.Inputs.Add(RawInput("a", "FP32", 1, 4));
        request.Inputs.Add(Fp32Input("b", [1, 4], 1, 1, 1, 1));
        request.RawInputContents.Add(RawFloats(1, 2, 3, 4));
        request.RawInputContents.Add(RawFloats(1, 1, 1, 1));
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'b'", detail);
    }

    [Fact]
    public async Task ModelInfer_WithTruncatedRawBytesElement_ReturnsInvalidArgumentNamingInput()
    {
        var request = new ModelInferRequest { ModelName = ServingFixture.IdentityName(DataType.Bytes) };
        request.Inputs.Add(RawInput("x", "BYTES", 1, 3));
        // One element claims 200 bytes and brings 2.
        request.RawInputContents.Add(ByteString.CopyFrom([200, 0, 0, 0, 1, 2]));
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelInferAsync(request));
        Assert.Contains("'x'", detail);
    }
}
