using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>Server and model metadata, readiness and the repository index.</summary>
[Collection(ServingCollection.Name)]
public sealed class MetadataTests
{
    private readonly HttpClient _http;

    public MetadataTests(ServingFixture server)
    {
        _http = server.Http;
    }

    [Fact]
    public async Task ModelReady_ForLoadedModel_Returns200()
    {
        var answer = await _http.GetAnswerAsync("/v2/models/add/ready");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var version = await _http.GetAnswerAsync("/v2/models/multi/versions/1/ready");
        Assert.Equal(HttpStatusCode.OK, version.Status);
    }

    [Fact]
    public async Task ModelReady_ForUnknownModel_Returns404NamingModel()
    {
        var answer = await _http.GetAnswerAsync("/v2/models/nope/ready");
        answer.AssertError(HttpStatusCode.NotFound, "unknown model 'nope'");
    }

    [Fact]
    public async Task ModelMetadata_ForUnknownModel_Returns404NamingModel()
    {
        var answer = await _http.GetAnswerAsync("/v2/models/nope");
        answer.AssertError(HttpStatusCode.NotFound, "unknown model 'nope'");
    }

    [Fact]
    public async Task ServerMetadata_ListsNameVersionAndExtensions()
    {
        var answer = await _http.GetAnswerAsync("/v2");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("ferry", (string?)answer.Json!["name"]);
        Assert.False(string.IsNullOrEmpty((string?)answer.Json!["version"]));
        var extensions = answer.Json!["extensions"]!.AsArray().Select(e => (string?)e).ToArray();
        Assert.Contains("binary_tensor_data", extensions);
        Assert.Contains("model_repository", extensions);
    }

    [Fact]
    public async Task RepositoryIndex_ListsModelsWithVersionsAndStates()
    {
        var answer = await _http.PostEmptyAsync("/v2/repository/index");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var entries = answer.Json!.AsArray().Select(e => (Name: (string?)e!["name"], Version: (string?)e["version"], State: (string?)e["state"])).ToArray();
        Assert.Contains(("add", "1", "READY"), entries);
        Assert.Contains(("multi", "1", "READY"), entries);
        Assert.Contains(("multi", "2", "READY"), entries);
        Assert.Contains(("id_fp32", "1", "READY"), entries);
    }

    [Fact]
    public async Task RepositoryLoad_OfUnknownModel_Returns404NamingModel()
    {
        var answer = await _http.PostEmptyAsync("/v2/repository/models/nope/load");
        answer.AssertError(HttpStatusCode.NotFound, "model 'nope' is not in the model repositories");
    }

    [Fact]
    public async Task RepositoryLoad_OfUnknownModel_LeavesNoTraceAndServerReady()
    {
        var load = await _http.PostEmptyAsync("/v2/repository/models/ghost/load");
        load.AssertError(HttpStatusCode.NotFound, "model 'ghost'");

        var ready = await _http.GetAnswerAsync("/v2/models/ghost/ready");
        ready.AssertError(HttpStatusCode.NotFound, "unknown model 'ghost'");
        var server = await _http.GetAnswerAsync("/v2/health/ready");
        Assert.Equal(HttpStatusCode.OK, server.Status);
        var index = await _http.PostEmptyAsync("/v2/repository/index");
        Assert.DoesNotContain(index.Json!.AsArray(), e => (string?)e!["name"] == "ghost");
    }

    [Fact]
    public async Task RepositoryUnload_OfUnknownModel_Returns404NamingModel()
    {
        var answer = await _http.PostEmptyAsync("/v2/repository/models/nope/unload");
        answer.AssertError(HttpStatusCode.NotFound, "unknown model 'nope'");
    }
}
