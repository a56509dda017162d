using System.Text.Json.Nodes;
using Ferry.Cli.Tests.Commands.Models;
using Ferry.Tests;

namespace Ferry.Cli.Tests.Commands;

/// <summary><c>ferry gates check</c> against a real server with the registry: tables, JSON, exit codes.</summary>
public sealed class GatesCommandTests(CliRegistryServer server) : IClassFixture<CliRegistryServer>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ferry-gates-cli-").FullName;
    private string[] _api = [];

    public async Task InitializeAsync()
    {
        var created = (await Models.Ferry.RunAsync("tokens", "create", "--name", "gates-" + Guid.NewGuid().ToString("N")[..8], "--role", "writer", "--home", server.Home, "--output", "json")).AssertOk();
        _api = ["--server", server.HttpAddress.ToString(), "--token", (string)JsonNode.Parse(created.Output)!["token"]!];
        if ((await Models.Ferry.RunAsync(["models", "show", "gated", .. _api])).ExitCode != 0)
        {
            var good = OnnxModelBuilder.AddFloats().WriteTo(_folder, "gated", 1);
            (await Models.Ferry.RunAsync(["models", "register", good, "--name", "gated", "--alias", "champion", .. _api])).AssertOk();
            (await Models.Ferry.RunAsync(["models", "register", good, "--name", "gated", .. _api])).AssertOk();
            var wrongType = new OnnxModelBuilder()
                .Input("a", DataType.Fp64, null, 4).Input("b", DataType.Fp32, null, 4)
                .Output("sum", DataType.Fp32, null, 4).Output("product", DataType.Fp32, null, 4)
                .Node("Cast", ["a"], ["af"], ("to", 1)).Node("Add", ["af", "b"], ["sum"]).Node("Mul", ["af", "b"], ["product"])
                .WriteTo(_folder, "gated", 3);
            (await Models.Ferry.RunAsync(["models", "register", wrongType, "--name", "gated", .. _api])).AssertOk();
        }
    }

    [Fact]
    public async Task Check_Passing_PrintsTheTableAndExits0()
    {
        var policy = Write("pass.json", """{"maxSizeBytes": 100000, "maxLatencyP99Ms": 1000, "benchmark": {"warmupRuns": 1, "timedRuns": 5}}""");

        var run = (await Models.Ferry.RunAsync(["gates", "check", "gated:2", "--policy", policy, .. _api])).AssertOk();

        Assert.Contains("gated:2 passed", run.Output);
        Assert.Contains("compatibility", run.Output);
        Assert.Contains("model_size", run.Output);
        Assert.Contains("latency_p99", run.Output);
        Assert.DoesNotContain("FAIL", run.Output);
    }

    [Fact]
    public async Task Check_TooLarge_PrintsTheFailureAndExits1()
    {
        var policy = Write("small.json", """{"maxSizeBytes": 10}""");

        var run = await Models.Ferry.RunAsync(["gates", "check", "models:/gated@champion", "--policy", policy, .. _api]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("gated:1 FAILED", run.Output);
        var row = run.Output.Split('\n').Single(l => l.Contains("model_size", StringComparison.Ordinal));
        Assert.Contains("FAIL", row);
        Assert.Contains("bytes", row);
        Assert.Contains("exceeds", run.Output);
    }

    [Fact]
    public async Task Check_JsonOutput_IsTheServersReport()
    {
        var policy = Write("json.json", """{"maxSizeBytes": 10}""");

        var run = await Models.Ferry.RunAsync(["gates", "check", "gated:2", "--policy", policy, "--output", "json", .. _api]);

        Assert.Equal(1, run.ExitCode);
        var report = JsonNode.Parse(run.Output)!;
        Assert.False((bool)report["passed"]!);
        var size = report["checks"]!.AsArray().Single(c => (string)c!["name"]! == "model_size")!;
        Assert.Equal(10, (double)size["threshold"]!);
    }

    [Fact]
    public async Task Check_IncompatibleWithTheContract_NamesTheInputAndExits1()
    {
        var policy = Write("none.json", "{}");
        var contract = Write("contract.json", """
            {"inputs": [{"name": "a", "datatype": "FP32", "shape": [-1, 4]}, {"name": "b", "datatype": "FP32", "shape": [-1, 4]}],
             "outputs": [{"name": "sum", "datatype": "FP32", "shape": [-1, 4]}]}
            """);

        var run = await Models.Ferry.RunAsync(["gates", "check", "gated:3", "--policy", policy, "--contract", contract, "--output", "json", .. _api]);

        Assert.Equal(1, run.ExitCode);
        var check = JsonNode.Parse(run.Output)!["checks"]!.AsArray().Single(c => (string)c!["name"]! == "compatibility")!;
        Assert.False((bool)check["passed"]!);
        Assert.Contains("input 'a': FP32[-1,4] expected, FP64[-1,4] found", (string)check["message"]!);
    }

    [Fact]
    public async Task Check_BadPolicyField_ReportsTheServersReasonAndExits1()
    {
        var policy = Write("typo.json", """{"maxLatencyMs": 5}""");

        var run = await Models.Ferry.RunAsync(["gates", "check", "gated:2", "--policy", policy, .. _api]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("400", run.Error);
        Assert.Contains("policy.maxLatencyMs: unknown field", run.Error);
    }

    [Fact]
    public async Task Check_NoVersion_IsRefusedBeforeCallingTheServer()
    {
        var run = await Models.Ferry.RunAsync(["gates", "check", "gated", "--policy", Write("x.json", "{}"), .. _api]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("names no version", run.Error);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }
}
