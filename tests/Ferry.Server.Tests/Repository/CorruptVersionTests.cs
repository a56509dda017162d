using System.Net;

namespace Ferry.Server.Tests.Repository;

/// <summary>A reload whose new version cannot be loaded keeps the old version serving and says why.</summary>
[Collection(RepositoryCollection.Name)]
public sealed class CorruptVersionTests
{
    private readonly RepositoryFixture _server;

    public CorruptVersionTests(RepositoryFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Load_WithCorruptNewVersion_KeepsOldVersionServingAndReportsReason()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_server.Repository, "evolving", "2"));
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "model.onnx"), "this is not an ONNX model"u8.ToArray());

        var load = await _server.Http.PostEmptyAsync("/v2/repository/models/evolving/load");
        load.AssertError(HttpStatusCode.BadRequest, "failed to load model 'evolving'", "version 2", "ONNX Runtime cannot load model.onnx");

        var answer = await _server.Http.PostJsonAsync("/v2/models/evolving/infer", RestCalls.AddRequest());
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("1", (string?)answer.Json!["model_version"]);
        Assert.Equal("[11,22,33,44]", answer.Json!["outputs"]![0]!["data"]!.ToJsonString());

        var ready = await _server.Http.GetAnswerAsync("/v2/models/evolving/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);

        var index = await _server.Http.PostEmptyAsync("/v2/repository/index");
        var entry = Assert.Single(index.Json!.AsArray(), e => (string?)e!["name"] == "evolving")!;
        Assert.Equal("1", (string?)entry["version"]);
        Assert.Equal("READY", (string?)entry["state"]);
        Assert.Contains("version 2", (string?)entry["reason"], StringComparison.Ordinal);
    }
}
