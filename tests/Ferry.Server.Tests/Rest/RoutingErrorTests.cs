using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>Requests for models, versions or paths that do not exist, and for a model that was unloaded.</summary>
[Collection(ServingCollection.Name)]
public sealed class RoutingErrorTests
{
    private readonly ServingFixture _server;

    public RoutingErrorTests(ServingFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Infer_OnUnknownModel_Returns404NamingModel()
    {
        var answer = await _server.Http.PostJsonAsync("/v2/models/nope/infer", RestCalls.AddRequest());
        answer.AssertError(HttpStatusCode.NotFound, "unknown model 'nope'");
    }

    [Fact]
    public async Task Infer_OnUnknownVersion_Returns404NamingLoadedVersions()
    {
        var answer = await _server.Http.PostJsonAsync("/v2/models/multi/versions/7/infer", RestCalls.AddRequest());
        answer.AssertError(HttpStatusCode.NotFound, "model 'multi'", "no version 7 loaded", "loaded: 1, 2");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    public async Task Infer_OnNonNumericVersion_Returns404SayingVersionsAreNumbers(string version)
    {
        var answer = await _server.Http.PostJsonAsync($"/v2/models/multi/versions/{version}/infer", RestCalls.AddRequest());
        answer.AssertError(HttpStatusCode.NotFound, "model 'multi'", $"no version '{version}'", "whole numbers");
    }

    [Theory]
    [InlineData("GET", "/v2/nothing/here")]
    [InlineData("POST", "/v2/models/add/predict")]
    [InlineData("GET", "/v2/models/add/infer")]
    public async Task UnknownPathUnderV2_Returns404WithJsonError(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await _server.Http.SendAsync(request);
        var answer = await RestAnswer.ReadAsync(response);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        answer.AssertError(HttpStatusCode.NotFound, "no such endpoint", path);
    }

    [Fact]
    public async Task Infer_OnUnloadedModel_Returns503NamingModelAndState()
    {
        var unload = await _server.Http.PostEmptyAsync("/v2/repository/models/spare/unload");
        Assert.Equal(HttpStatusCode.OK, unload.Status);
        try
        {
            var answer = await _server.Http.PostJsonAsync("/v2/models/spare/infer", RestCalls.AddRequest());
            answer.AssertError(HttpStatusCode.ServiceUnavailable, "model 'spare'", "not ready", "UNAVAILABLE", "unloaded");

            var ready = await _server.Http.GetAnswerAsync("/v2/models/spare/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        }
        finally
        {
            var load = await _server.Http.PostEmptyAsync("/v2/repository/models/spare/load");
            Assert.Equal(HttpStatusCode.OK, load.Status);
        }

        var again = await _server.Http.PostJsonAsync("/v2/models/spare/infer", RestCalls.AddRequest());
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }
}
