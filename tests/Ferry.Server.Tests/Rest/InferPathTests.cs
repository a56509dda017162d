using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>
/// The usual inference paths are answered ahead of endpoint routing; every other spelling goes through routing. Both
/// must answer alike, and a path the shortcut refuses must end where routing ends it.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class InferPathTests
{
    private const string Body = """{"inputs": [{"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}, {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 1, 1, 1]}]}""";

    private readonly ServingFixture _server;

    public InferPathTests(ServingFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("/v2/models/multi/infer", "2")]
    [InlineData("/v2/models/multi/versions/1/infer", "1")]
    [InlineData("/V2/Models/multi/Infer", "2")]
    [InlineData("/v2/MODELS/multi/VERSIONS/1/infer", "1")]
    public async Task Infer_ShortcutAndRoutedSpellings_AnswerAlike(string path, string version)
    {
        var answer = await _server.Http.PostJsonAsync(path, Body);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("multi", (string?)answer.Json!["model_name"]);
        Assert.Equal(version, (string?)answer.Json!["model_version"]);
        // Version 1 adds, version 2 subtracts: the answer comes from the version the path names.
        var first = answer.Json!["outputs"]!.AsArray().Single(o => (string?)o!["name"] == "sum")!["data"]![0]!;
        Assert.Equal(version == "1" ? 2f : 0f, (float)first);
    }

    [Theory]
    [InlineData("/v2/models//infer")]
    [InlineData("/v2/models/multi/versions//infer")]
    [InlineData("/v2/models/multi/versions/1/2/infer")]
    [InlineData("/v2/models/multi/other/1/infer")]
    public async Task Infer_PathTheShortcutRefuses_IsAnsweredByRoutingAs404(string path)
    {
        var answer = await _server.Http.PostJsonAsync(path, Body);
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.False(string.IsNullOrEmpty((string?)answer.Json!["error"]));
    }

    [Fact]
    public async Task Infer_Get_IsNotInference()
    {
        using var response = await _server.Http.GetAsync("/v2/models/multi/infer");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
