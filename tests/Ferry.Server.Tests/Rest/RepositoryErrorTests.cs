using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>Malformed bodies sent to the repository extension: 400 saying what was wrong, never 500.</summary>
[Collection(ServingCollection.Name)]
public sealed class RepositoryErrorTests
{
    private readonly HttpClient _http;

    public RepositoryErrorTests(ServingFixture server)
    {
        _http = server.Http;
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("""{"ready": "yes"}""")]
    [InlineData("""{"ready": true""")]
    [InlineData("\u0001\u0002")]
    public async Task RepositoryIndex_WithMalformedBody_Returns400(string body)
    {
        var answer = await _http.PostJsonAsync("/v2/repository/index", body);
        answer.AssertError(HttpStatusCode.BadRequest, "malformed JSON");
    }

    [Theory]
    [InlineData("[]", "the body must be a JSON object")]
    [InlineData("""{"parameters": {"config": "{}"}}""", "parameter 'config' is not supported")]
    [InlineData("""{"parameters": {"\ud800": 1}}""", "a parameter name is not valid text")]
    [InlineData("""{"parameters": {"x""", "malformed JSON")]
    public async Task RepositoryLoad_WithBadBody_Returns400SayingWhy(string body, string expected)
    {
        var answer = await _http.PostJsonAsync("/v2/repository/models/add/load", body);
        answer.AssertError(HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Infer_WithSameOutputRequestedTwice_Returns400NamingOutput()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", RestCalls.AddRequest().TrimEnd('}') + """, "outputs": [{"name": "sum"}, {"name": "sum"}]}""");
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "output 'sum' is requested twice");
    }
}
