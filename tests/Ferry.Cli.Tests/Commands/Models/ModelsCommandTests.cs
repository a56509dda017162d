using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ferry.Tests;

namespace Ferry.Cli.Tests.Commands.Models;

/// <summary>The <c>ferry models</c> and <c>ferry tokens</c> commands against a real server.</summary>
public sealed class ModelsCommandTests(CliRegistryServer server) : IClassFixture<CliRegistryServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ferry-cli-").FullName;

    [Fact]
    public async Task RegisterPromoteShowAndDelete_ThroughTheCli_ChangeWhatTheServerServes()
    {
        var created = (await Ferry.RunAsync("tokens", "create", "--name", "ci", "--role", "writer", "--home", server.Home, "--output", "json")).AssertOk();
        var token = (string)JsonNode.Parse(created.Output)!["token"]!;
        var file = OnnxModelBuilder.AddFloats().WriteTo(_folder, "fraud", 1);
        string[] api = ["--server", server.HttpAddress.ToString(), "--token", token];

        var first = (await Ferry.RunAsync(["models", "register", file, "--name", "fraud", "--alias", "champion", "--run", "run-1", "--tag", "team=risk", "--output", "json", .. api])).AssertOk();
        Assert.Equal(1, (long?)JsonNode.Parse(first.Output)?["version"]);
        (await Ferry.RunAsync(["models", "register", file, "--name", "fraud", .. api])).AssertOk();

        (await Ferry.RunAsync(["models", "alias", "models:/fraud/2", "champion", "--reason", "better recall", .. api])).AssertOk();
        Assert.Equal("2", await ServedVersionAsync("fraud"));

        var shown = (await Ferry.RunAsync(["models", "show", "models:/fraud@champion", "--output", "json", .. api])).AssertOk();
        Assert.Equal(2, (long?)JsonNode.Parse(shown.Output)?["version"]);
        var listed = (await Ferry.RunAsync(["models", "list", .. api])).AssertOk();
        Assert.Contains("fraud", listed.Output, StringComparison.Ordinal);
        Assert.Contains("champion=2", listed.Output, StringComparison.Ordinal);

        var history = (await Ferry.RunAsync(["models", "history", "fraud", "--output", "json", .. api])).AssertOk();
        var moved = JsonNode.Parse(history.Output)!.AsArray().First(e => (string?)e!["action"] == "AliasSet" && (string?)e["reason"] == "better recall");
        Assert.Equal("ci", (string?)moved!["actor"]);

        (await Ferry.RunAsync(["models", "delete", "models:/fraud/1", .. api])).AssertOk();
        var model = (await Ferry.RunAsync(["models", "show", "fraud", "--output", "json", .. api])).AssertOk();
        Assert.Equal([2L], JsonNode.Parse(model.Output)!["versions"]!.AsArray().Select(v => (long)v!["version"]!).ToArray());
    }

    [Fact]
    public async Task Register_WithoutAToken_FailsWithTheServersReasonAndExitCode1()
    {
        var file = OnnxModelBuilder.AddFloats().WriteTo(_folder, "refused", 1);

        var run = await Ferry.RunAsync("models", "register", file, "--name", "refused", "--server", server.HttpAddress.ToString());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("401", run.Error, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer", run.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<string?> ServedVersionAsync(string model)
    {
        using var response = await server.Http.PostAsJsonAsync($"/v2/models/{model}/infer", JsonNode.Parse(
            """{"inputs": [{"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}, {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}"""));
        var answer = await response.Content.ReadFromJsonAsync<JsonNode>();
        return (string?)answer?["model_version"];
    }
}
