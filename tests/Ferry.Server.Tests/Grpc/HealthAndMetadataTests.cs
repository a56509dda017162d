using Ferry.Server.Grpc.Protocol;
using Grpc.Core;

namespace Ferry.Server.Tests.Grpc;

[Collection(ServingCollection.Name)]
public sealed class HealthAndMetadataTests : GrpcTestBase
{
    public HealthAndMetadataTests(ServingFixture server)
        : base(server)
    {
    }

    [Fact]
    public async Task ServerLive_ReturnsLive()
    {
        var response = await Client.ServerLiveAsync(new ServerLiveRequest());
        Assert.True(response.Live);
    }

    [Fact]
    public async Task ServerReady_OnceModelsAreLoaded_ReturnsReady()
    {
        var response = await Client.ServerReadyAsync(new ServerReadyRequest());
        Assert.True(response.Ready);
    }

    [Fact]
    public async Task ServerMetadata_ReturnsNameVersionAndExtensions()
    {
        var response = await Client.ServerMetadataAsync(new ServerMetadataRequest());
        Assert.Equal("ferry", response.Name);
        Assert.False(string.IsNullOrEmpty(response.Version));
        Assert.Contains("model_repository", response.Extensions);
        Assert.Contains("binary_tensor_data", response.Extensions);
    }

    [Fact]
    public async Task ModelReady_ForLoadedModel_ReturnsReady()
    {
        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = "add" })).Ready);
        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = "multi", Version = "1" })).Ready);
    }

    [Fact]
    public async Task ModelReady_ForUnknownModelOrVersion_ReturnsNotFound()
    {
        await AssertFailsAsync(StatusCode.NotFound, Client.ModelReadyAsync(new ModelReadyRequest { Name = "nope" }));
        await AssertFailsAsync(StatusCode.NotFound, Client.ModelReadyAsync(new ModelReadyRequest { Name = "multi", Version = "9" }));
    }

    [Fact]
    public async Task ModelMetadata_DescribesInputsOutputsAndPlatform()
    {
        var response = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "add" });
        Assert.Equal("add", response.Name);
        Assert.Equal("onnxruntime_onnx", response.Platform);
        Assert.Equal(["1"], response.Versions);
        Assert.Equal(["a", "b"], response.Inputs.Select(i => i.Name));
        Assert.All(response.Inputs, i => Assert.Equal("FP32", i.Datatype));
        Assert.Equal([-1L, 4L], response.Inputs[0].Shape);
        Assert.Equal(["sum", "product"], response.Outputs.Select(o => o.Name));
    }

    [Fact]
    public async Task ModelMetadata_ListsEveryServedVersionOrTheOneAskedFor()
    {
        var all = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "multi" });
        Assert.Equal(["1", "2"], all.Versions);
        var one = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "multi", Version = "1" });
        Assert.Equal(["1"], one.Versions);
    }

    [Fact]
    public async Task ModelMetadata_ForUnknownModelOrVersion_ReturnsNotFound()
    {
        var detail = await AssertFailsAsync(StatusCode.NotFound, Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "nope" }));
        Assert.Contains("nope", detail);
        await AssertFailsAsync(StatusCode.NotFound, Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "multi", Version = "3" }));
    }

    [Fact]
    public async Task ModelMetadata_WithoutName_ReturnsInvalidArgument()
    {
        await AssertFailsAsync(StatusCode.InvalidArgument, Client.ModelMetadataAsync(new ModelMetadataRequest()));
    }
}
