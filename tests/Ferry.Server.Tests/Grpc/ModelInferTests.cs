using System.Text;
using Ferry.Server.Grpc.Protocol;
using Ferry.Server.Tests.Rest;
using Ferry.Tests;
using Google.Protobuf;

namespace Ferry.Server.Tests.Grpc;

[Collection(ServingCollection.Name)]
public sealed class ModelInferTests : GrpcTestBase
{
    public ModelInferTests(ServingFixture server)
        : base(server)
    {
    }

    /// <summary>Every datatype with a typed contents field; FP16 has none and travels raw only.</summary>
    public static TheoryData<string> TypedNames => new(DataTypes.All.Where(n => n != "FP16"));

    public static TheoryData<string> AllTypeNames => new(DataTypes.All);

    [Theory]
    [MemberData(nameof(TypedNames))]
    public async Task ModelInfer_EveryDatatype_RoundTripsThroughTypedContents(string datatype)
    {
        Assert.True(DataTypes.TryParse(datatype, out var type));
        var contents = SampleContents(type);
        var request = new ModelInferRequest { ModelName = ServingFixture.IdentityName(type) };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = datatype, Contents = contents };
        input.Shape.AddRange([1, 3]);
        request.Inputs.Add(input);

        var response = await Client.ModelInferAsync(request);

        var output = Assert.Single(response.Outputs);
        Assert.Equal("y", output.Name);
        Assert.Equal(datatype, output.Datatype);
        Assert.Equal([1L, 3L], output.Shape);
        Assert.Empty(response.RawOutputContents);
        Assert.Equal(contents, output.Contents);
    }

    [Theory]
    [MemberData(nameof(AllTypeNames))]
    public async Task ModelInfer_EveryDatatype_RoundTripsThroughRawContentsAndAnswersRaw(string datatype)
    {
        Assert.True(DataTypes.TryParse(datatype, out var type));
        var raw = InferTests.SampleRaw(type);
        var request = new ModelInferRequest { ModelName = ServingFixture.IdentityName(type) };
        request.Inputs.Add(RawInput("x", datatype, 1, 3));
        request.RawInputContents.Add(ByteString.CopyFrom(raw));

        var response = await Client.ModelInferAsync(request);

        var output = Assert.Single(response.Outputs);
        Assert.Equal(datatype, output.Datatype);
        Assert.Equal([1L, 3L], output.Shape);
        Assert.Null(output.Contents);
        Assert.Equal(raw, Assert.Single(response.RawOutputContents).ToByteArray());
    }

    [Fact]
    public async Task ModelInfer_TwoInputs_ReturnsEveryOutputInModelOrder()
    {
        var request = new ModelInferRequest { ModelName = "add" };
        request.Inputs.Add(Fp32Input("a", [2, 4], 1, 2, 3, 4, 5, 6, 7, 8));
        request.Inputs.Add(Fp32Input("b", [2, 4], 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1));

        var response = await Client.ModelInferAsync(request);

        Assert.Equal("add", response.ModelName);
        Assert.Equal("1", response.ModelVersion);
        Assert.Equal(["sum", "product"], response.Outputs.Select(o => o.Name));
        Assert.Equal([1.5f, 2.5f, 3.5f, 4.5f, 6, 7, 8, 9], response.Outputs[0].Contents.Fp32Contents);
        Assert.Equal([0.5f, 1, 1.5f, 2, 5, 6, 7, 8], response.Outputs[1].Contents.Fp32Contents);
        Assert.Equal([2L, 4L], response.Outputs[1].Shape);
    }

    [Fact]
    public async Task ModelInfer_WithRequestedOutput_ReturnsOnlyThatOutput()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "product" });

        var response = await Client.ModelInferAsync(request);

        var product = Assert.Single(response.Outputs);
        Assert.Equal("product", product.Name);
        Assert.Equal([1f, 2, 3, 4], product.Contents.Fp32Contents);
    }

    [Fact]
    public async Task ModelInfer_WithRawInputs_AnswersEveryOutputRawInOrder()
    {
        var request = new ModelInferRequest { ModelName = "add" };
        request.Inputs.Add(RawInput("a", "FP32", 1, 4));
        request.Inputs.Add(RawInput("b", "FP32", 1, 4));
        request.RawInputContents.Add(RawFloats(1, 2, 3, 4));
        request.RawInputContents.Add(RawFloats(2, 2, 2, 2));

        var response = await Client.ModelInferAsync(request);

        Assert.Equal(["sum", "product"], response.Outputs.Select(o => o.Name));
        Assert.Equal(RawFloats(3, 4, 5, 6), response.RawOutputContents[0]);
        Assert.Equal(RawFloats(2, 4, 6, 8), response.RawOutputContents[1]);
    }

    [Fact]
    public async Task ModelInfer_TypedRequestWithFp16Output_AnswersRawBecauseFp16HasNoTypedField()
    {
        const string name = "grpc_to_fp16";
        new OnnxModelBuilder()
            .Input("x", DataType.Fp32, null, 2).Output("y", DataType.Fp16, null, 2)
            .Node("Cast", ["x"], ["y"], ("to", 10))
            .WriteTo(Server.Repository, name);
        await Client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { ModelName = name });
        var request = new ModelInferRequest { ModelName = name };
        request.Inputs.Add(Fp32Input("x", [1, 2], 1.5f, -2));

        var response = await Client.ModelInferAsync(request);

        var output = Assert.Single(response.Outputs);
        Assert.Equal("FP16", output.Datatype);
        Assert.Null(output.Contents);
        byte[] expected = [.. BitConverter.GetBytes((Half)1.5), .. BitConverter.GetBytes((Half)(-2))];
        Assert.Equal(expected, Assert.Single(response.RawOutputContents).ToByteArray());
    }

    [Fact]
    public async Task ModelInfer_WithId_EchoesTheId()
    {
        var request = AddRequest(1, 2, 3, 4);
        request.Id = "req-42";

        var response = await Client.ModelInferAsync(request);

        Assert.Equal("req-42", response.Id);
    }

    [Fact]
    public async Task ModelInfer_SpecificVersion_AnswersFromThatVersion()
    {
        ModelInferRequest Request(string version)
        {
            var request = new ModelInferRequest { ModelName = "multi", ModelVersion = version };
            request.Inputs.Add(Fp32Input("a", [1, 4], 5, 5, 5, 5));
            request.Inputs.Add(Fp32Input("b", [1, 4], 1, 2, 3, 4));
            request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "sum" });
            return request;
        }

        var v1 = await Client.ModelInferAsync(Request("1"));
        var v2 = await Client.ModelInferAsync(Request("2"));
        var latest = await Client.ModelInferAsync(Request(""));

        Assert.Equal("1", v1.ModelVersion);
        Assert.Equal([6f, 7, 8, 9], v1.Outputs[0].Contents.Fp32Contents);
        Assert.Equal("2", v2.ModelVersion);
        Assert.Equal([4f, 3, 2, 1], v2.Outputs[0].Contents.Fp32Contents);
        Assert.Equal("2", latest.ModelVersion);
    }

    [Fact]
    public async Task ModelInfer_IsCountedInMetricsUnderTheGrpcProtocol()
    {
        await Client.ModelInferAsync(AddRequest(1, 2, 3, 4));

        var metrics = await Server.Http.GetStringAsync("/metrics");

        Assert.Contains(
            metrics.Split('\n'),
            line => line.StartsWith("ferry_inference_requests_total{", StringComparison.Ordinal)
                && line.Contains("model=\"add\"", StringComparison.Ordinal)
                && line.Contains("protocol=\"grpc\"", StringComparison.Ordinal));
    }

    private static InferTensorContents SampleContents(DataType type)
    {
        var contents = new InferTensorContents();
        switch (type)
        {
            case DataType.Bool:
                contents.BoolContents.AddRange([true, false, true]);
                break;
            case DataType.UInt8:
                contents.UintContents.AddRange([0, 128, 255]);
                break;
            case DataType.UInt16:
                contents.UintContents.AddRange([0, 1000, 65535]);
                break;
            case DataType.UInt32:
                contents.UintContents.AddRange([0, 70000, uint.MaxValue]);
                break;
            case DataType.UInt64:
                contents.Uint64Contents.AddRange([0, 1, ulong.MaxValue]);
                break;
            case DataType.Int8:
                contents.IntContents.AddRange([-128, 0, 127]);
                break;
            case DataType.Int16:
                contents.IntContents.AddRange([short.MinValue, 0, short.MaxValue]);
                break;
            case DataType.Int32:
                contents.IntContents.AddRange([int.MinValue, 0, int.MaxValue]);
                break;
            case DataType.Int64:
                contents.Int64Contents.AddRange([long.MinValue, 0, long.MaxValue]);
                break;
            case DataType.Fp32:
                contents.Fp32Contents.AddRange([0.1f, -3.5f, 1e30f]);
                break;
            case DataType.Fp64:
                contents.Fp64Contents.AddRange([0.1, -3.5, 1e300]);
                break;
            case DataType.Bytes:
                contents.BytesContents.AddRange([ByteString.CopyFromUtf8("a"), ByteString.Empty, ByteString.CopyFrom(Encoding.UTF8.GetBytes("h\u00e9llo"))]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "no typed contents");
        }

        return contents;
    }
}
