using System.Net;

namespace Ferry.Server.Tests.Repository;

/// <summary>A model folder with a broken <c>config.json</c> fails to load with 400 and the reason; the server goes on.</summary>
[Collection(RepositoryCollection.Name)]
public sealed class BadConfigTests
{
    private readonly RepositoryFixture _server;

    public BadConfigTests(RepositoryFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("bad_json", """{"max_batch_size": """, "config.json")]
    [InlineData("bad_field", """{"max_batch_sise": 8}""", "max_batch_sise")]
    [InlineData("bad_text", """{"name": "\ud800"}""", "config.json")]
    [InlineData("bad_policy", """{"version_policy": {"specific": {"versions": [7]}}}""", "version policy")]
    public async Task Load_WithBrokenConfig_Returns400WithReasonAndServesTheOthers(string model, string config, string expected)
    {
        _server.WriteAddVersion(model, 1);
        await File.WriteAllTextAsync(Path.Combine(_server.Repository, model, "config.json"), config);

        var load = await _server.Http.PostEmptyAsync($"/v2/repository/models/{model}/load");
        load.AssertError(HttpStatusCode.BadRequest, $"failed to load model '{model}'", expected);

        var index = await _server.Http.PostEmptyAsync("/v2/repository/index");
        var entry = Assert.Single(index.Json!.AsArray(), e => (string?)e!["name"] == model)!;
        Assert.Equal("UNAVAILABLE", (string?)entry["state"]);
        Assert.Contains(expected, (string?)entry["reason"], StringComparison.Ordinal);

        var infer = await _server.Http.PostJsonAsync($"/v2/models/{model}/infer", RestCalls.AddRequest());
        infer.AssertError(HttpStatusCode.ServiceUnavailable, $"model '{model}'", "UNAVAILABLE");
        var other = await _server.Http.PostJsonAsync("/v2/models/rolling/infer", RestCalls.AddRequest());
        Assert.Equal(HttpStatusCode.OK, other.Status);
    }
}
