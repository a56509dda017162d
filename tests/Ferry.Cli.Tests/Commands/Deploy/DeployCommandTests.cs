using System.Text.Json.Nodes;
using Ferry.Cli.Tests.Commands.Models;
using Ferry.Tests;

namespace Ferry.Cli.Tests.Commands.Deploy;

/// <summary>The <c>ferry deploy</c> commands against a real server: each one changes what the deployment serves.</summary>
public sealed class DeployCommandTests(CliRegistryServer server) : IClassFixture<CliRegistryServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ferry-cli-deploy-").FullName;

    [Fact]
    public async Task CreatePromoteRollbackSetAbort_ThroughTheCli_MoveTheDeployment()
    {
        var created = (await Ferry.Cli.Tests.Commands.Models.Ferry.RunAsync("tokens", "create", "--name", "deployer", "--role", "writer", "--home", server.Home, "--output", "json")).AssertOk();
        var token = (string)JsonNode.Parse(created.Output)!["token"]!;
        string[] api = ["--server", server.HttpAddress.ToString(), "--token", token];
        var file = OnnxModelBuilder.AddFloats().WriteTo(_folder, "adder", 1);
        (await Run(["models", "register", file, "--name", "adder", .. api])).AssertOk();
        (await Run(["models", "register", file, "--name", "adder", .. api])).AssertOk();

        var bluegreen = await Json(["deploy", "create", "sum", "--model", "adder", "--stable", "1", "--candidate", "2", "--strategy", "bluegreen", .. api]);
        Assert.Equal("preview", (string?)bluegreen["deployment"]!["state"]!["phase"]);
        var shown = (await Run(["deploy", "status", "sum", .. api])).AssertOk();
        Assert.Contains("preview", shown.Output, StringComparison.Ordinal);

        var promoted = await Json(["deploy", "promote", "sum", "--reason", "preview looked right", .. api]);
        Assert.Equal(2, (long?)promoted["deployment"]!["state"]!["stable_version"]);
        var rolledBack = await Json(["deploy", "rollback", "sum", .. api]);
        Assert.Equal(1, (long?)rolledBack["deployment"]!["state"]!["stable_version"]);

        var canary = await Json(["deploy", "set", "sum", "--candidate", "2", "--strategy", "canary", "--steps", "10,pause", "--check", "error_rate:0.01:50", "--check", "accuracy:0.9:50", "--analysis-interval", "30s", .. api]);
        Assert.Equal("paused", (string?)canary["deployment"]!["state"]!["phase"]);
        Assert.Equal(10, (double?)canary["deployment"]!["state"]!["candidate_weight"]);
        Assert.Equal("00:00:30", (string?)canary["deployment"]!["spec"]!["analysis"]!["interval"]);
        var accuracy = canary["deployment"]!["spec"]!["analysis"]!["checks"]![1]!;
        Assert.Equal("accuracy", (string?)accuracy["metric"]);
        Assert.Equal(0.9, (double?)accuracy["fail_below"]);
        Assert.Null(accuracy["fail_above"]);
        // Field by field, so nothing is cut to fit 80 columns (side by side, "strategy" and "progressing" were).
        var canaryShown = (await Run(["deploy", "status", "sum", .. api])).AssertOk().Output;
        Assert.DoesNotContain("…", canaryShown, StringComparison.Ordinal);
        Assert.Matches(@"strategy\s+│ canary", canaryShown);
        Assert.Matches(@"phase\s+│ paused", canaryShown);
        Assert.Matches(@"candidate weight\s+│ 10%", canaryShown);
        var aborted = await Json(["deploy", "abort", "sum", "--reason", "not today", .. api]);
        Assert.Equal("aborted", (string?)aborted["deployment"]!["state"]!["phase"]);

        var history = await Json(["deploy", "history", "sum", .. api]);
        Assert.Equal(["created", "preview", "promoted", "rolled_back", "canary", "weight", "paused", "aborted"],
            history["events"]!.AsArray().Select(e => (string)e!["kind"]!).ToArray());
        // The table gives each transition's time to the second in UTC, which fits its column on one line.
        var historyShown = (await Run(["deploy", "history", "sum", .. api])).AssertOk().Output;
        Assert.Matches(@"│ \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z │ created", historyShown);
        var listed = (await Run(["deploy", "status", .. api])).AssertOk();
        Assert.Contains("sum", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetWithGates_RefusedCandidate_ExitsWith1ShowingTheFailedCheckAndIsInTheHistory()
    {
        var created = (await Ferry.Cli.Tests.Commands.Models.Ferry.RunAsync("tokens", "create", "--name", "gater", "--role", "writer", "--home", server.Home, "--output", "json")).AssertOk();
        var token = (string)JsonNode.Parse(created.Output)!["token"]!;
        string[] api = ["--server", server.HttpAddress.ToString(), "--token", token];
        var file = OnnxModelBuilder.AddFloats().WriteTo(_folder, "gated", 1);
        (await Run(["models", "register", file, "--name", "gated", .. api])).AssertOk();
        (await Run(["models", "register", file, "--name", "gated", .. api])).AssertOk();
        var policy = Path.Combine(_folder, "gates.json");
        await File.WriteAllTextAsync(policy, """{"maxSizeBytes": 10}""");
        (await Run(["deploy", "create", "gatedep", "--model", "gated", "--stable", "1", "--strategy", "ab", "--gates", policy, .. api])).AssertOk();

        var refused = await Run(["deploy", "set", "gatedep", "--candidate", "2", .. api]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("422", refused.Error, StringComparison.Ordinal);
        Assert.Contains("model_size", refused.Error, StringComparison.Ordinal);
        var history = await Json(["deploy", "history", "gatedep", .. api]);
        Assert.Contains("gate_refused", history["events"]!.AsArray().Select(e => (string)e!["kind"]!));

        await File.WriteAllTextAsync(policy, """{"maxSizeBytes": 100000000}""");
        (await Run(["deploy", "set", "gatedep", "--candidate", "2", "--gates", policy, .. api])).AssertOk();
        var shown = (await Run(["deploy", "status", "gatedep", .. api])).AssertOk();
        Assert.Contains("A/B recommendation: keep collecting", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithBadSteps_FailsWithExitCode1AndSaysWhy()
    {
        var run = await Run(["deploy", "create", "x", "--model", "m", "--stable", "1", "--strategy", "canary", "--steps", "10,wait", "--server", server.HttpAddress.ToString()]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'wait' is neither a weight", run.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<CliRun> Run(string[] args) => Ferry.Cli.Tests.Commands.Models.Ferry.RunAsync(args);

    private static async Task<JsonNode> Json(string[] args) => JsonNode.Parse((await Run([.. args, "--output", "json"])).AssertOk().Output)!;
}
