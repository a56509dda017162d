using Ferry.Server.Grpc.Protocol;
using Ferry.Tests;
using Grpc.Core;

namespace Ferry.Server.Tests.Grpc;

[Collection(ServingCollection.Name)]
public sealed class RepositoryTests : GrpcTestBase
{
    public RepositoryTests(ServingFixture server)
        : base(server)
    {
    }

    [Fact]
    public async Task RepositoryIndex_ListsEveryServedVersionAsReady()
    {
        var response = await Client.RepositoryIndexAsync(new RepositoryIndexRequest());

        var add = Assert.Single(response.Models, m => m.Name == "add");
        Assert.Equal("1", add.Version);
        Assert.Equal("READY", add.State);
        Assert.Equal(["1", "2"], response.Models.Where(m => m.Name == "multi").Select(m => m.Version));
        Assert.All(ServingFixture.AllTypes, t => Assert.Contains(response.Models, m => m.Name == ServingFixture.IdentityName(t)));
    }

    [Fact]
    public async Task RepositoryModelLoadAndUnload_ServeAndThenStopServingTheModel()
    {
        const string name = "grpc_scratch";
        OnnxModelBuilder.Identity(DataType.Fp32, null, 2).WriteTo(Server.Repository, name);
        var index = await Client.RepositoryIndexAsync(new RepositoryIndexRequest { Ready = true });
        Assert.DoesNotContain(index.Models, m => m.Name == name);

        await Client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { ModelName = name });

        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = name })).Ready);
        var request = new ModelInferRequest { ModelName = name };
        request.Inputs.Add(Fp32Input("x", [1, 2], 3, 4));
        var answer = await Client.ModelInferAsync(request);
        Assert.Equal([3f, 4], answer.Outputs[0].Contents.Fp32Contents);

        await Client.RepositoryModelUnloadAsync(new RepositoryModelUnloadRequest { ModelName = name });

        Assert.False((await Client.ModelReadyAsync(new ModelReadyRequest { Name = name })).Ready);
        await AssertFailsAsync(StatusCode.Unavailable, Client.ModelInferAsync(request));
        var entry = Assert.Single((await Client.RepositoryIndexAsync(new RepositoryIndexRequest())).Models, m => m.Name == name);
        Assert.Equal("UNAVAILABLE", entry.State);
        Assert.True((await Client.ServerReadyAsync(new ServerReadyRequest())).Ready);
    }

    [Fact]
    public async Task RepositoryModelLoad_UnknownModel_ReturnsNotFoundAndLeavesServerReady()
    {
        await AssertFailsAsync(StatusCode.NotFound, Client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { ModelName = "never_there" }));

        // The failed load must not leave a half-known model behind: still unknown, and the server still ready.
        await AssertFailsAsync(StatusCode.NotFound, Client.ModelReadyAsync(new ModelReadyRequest { Name = "never_there" }));
        Assert.True((await Client.ServerReadyAsync(new ServerReadyRequest())).Ready);
    }

    [Fact]
    public async Task RepositoryModelUnload_UnknownModel_ReturnsNotFound()
    {
        await AssertFailsAsync(StatusCode.NotFound, Client.RepositoryModelUnloadAsync(new RepositoryModelUnloadRequest { ModelName = "never_there" }));
    }

    [Fact]
    public async Task RepositoryModelLoad_WithConfigParameter_ReturnsInvalidArgumentNamingIt()
    {
        var request = new RepositoryModelLoadRequest { ModelName = "add" };
        request.Parameters.Add("config", new ModelRepositoryParameter { StringParam = "{}" });
        var detail = await AssertFailsAsync(StatusCode.InvalidArgument, Client.RepositoryModelLoadAsync(request));
        Assert.Contains("'config'", detail);
    }

    [Fact]
    public async Task RepositoryIndex_WithRepositoryName_ReturnsInvalidArgument()
    {
        await AssertFailsAsync(StatusCode.InvalidArgument, Client.RepositoryIndexAsync(new RepositoryIndexRequest { RepositoryName = "other" }));
    }

    [Fact]
    public async Task RepositoryModelLoad_WithoutModelName_ReturnsInvalidArgument()
    {
        await AssertFailsAsync(StatusCode.InvalidArgument, Client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest()));
    }
}
