using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ferry.Delivery.Tests.Gates;

/// <summary>
/// A deployment's gate through the real server: a version enters only when it serves the stable version's signature
/// and is at least as good as the champion on the optimising metric; refusals are 422 with the numbers.
/// </summary>
[Collection(GatesCollection.Name)]
public sealed class DeploymentGateTests(GatesFixture fx)
{
    private JsonObject Gates() => new()
    {
        ["metric"] = new JsonObject
        {
            ["name"] = "auc", ["dataset"] = GatesFixture.Dataset, ["datasetVersion"] = fx.DatasetVersion, ["label"] = WarmDays.Label,
        },
    };

    [Fact]
    public async Task Create_WithIncompatibleCandidate_Is422WithTheMismatchAndCreatesNothing()
    {
        var body = new JsonObject
        {
            ["name"] = "warm-incompatible", ["model"] = GatesFixture.Model, ["stable_version"] = 1, ["candidate_version"] = 4,
            ["strategy"] = "bluegreen", ["gates"] = new JsonObject(),
        };

        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/v1/deployments", body);

        Assert.Equal(422, status);
        Assert.Contains("may not enter deployment 'warm-incompatible'", (string)problem["detail"]!);
        var compatibility = Check(problem["gate"]!, "compatibility");
        Assert.False((bool)compatibility["passed"]!);
        Assert.Contains("input 'temp_min': FP32[-1,1] expected, FP64[-1,1] found", (string)compatibility["message"]!);
        using var after = await fx.Http.GetAsync("/api/v1/deployments/warm-incompatible");
        Assert.Equal(404, (int)after.StatusCode);
    }

    [Fact]
    public async Task SetCandidate_WorseThenBetter_WorseIsRefusedWithBothAucsInTheHistory_BetterEnters()
    {
        var created = await SendAsync(HttpMethod.Post, "/api/v1/deployments", new JsonObject
        {
            ["name"] = "warm-live", ["model"] = GatesFixture.Model, ["stable_version"] = 1, ["strategy"] = "bluegreen", ["gates"] = Gates(),
        });
        Assert.Equal(201, created.Status);

        var (status, problem) = await SendAsync(HttpMethod.Put, "/api/v1/deployments/warm-live/candidate", new JsonObject { ["candidate_version"] = 3 });

        Assert.Equal(422, status);
        var auc = Check(problem["gate"]!, "auc");
        Assert.False((bool)auc["passed"]!);
        Assert.Equal(fx.Days.Auc(fx.Worse), (double)auc["value"]!, 4);
        Assert.Equal(fx.Days.Auc(fx.Champion), (double)auc["reference"]!, 4);
        Assert.True((double)auc["difference"]! < 0);
        Assert.True((bool)Check(problem["gate"]!, "compatibility")["passed"]!);
        var unchanged = JsonNode.Parse(await fx.Http.GetStringAsync("/api/v1/deployments/warm-live"))!["deployment"]!["state"]!;
        Assert.Equal("stable", (string)unchanged["phase"]!);
        Assert.Null(unchanged["candidate_version"]);
        var history = JsonNode.Parse(await fx.Http.GetStringAsync("/api/v1/deployments/warm-live/history"))!["events"]!.AsArray();
        var refused = history.Single(e => (string)e!["kind"]! == "gate_refused")!;
        Assert.Contains("version 3", (string)refused["message"]!);
        var recorded = refused["detail"]!["checks"]!.AsArray().Single(c => (string)c!["name"]! == "auc")!;
        Assert.Equal((double)auc["value"]!, (double)recorded["value"]!, 6);
        Assert.Equal((double)auc["reference"]!, (double)recorded["reference"]!, 6);

        var (entered, answer) = await SendAsync(HttpMethod.Put, "/api/v1/deployments/warm-live/candidate", new JsonObject { ["candidate_version"] = 2 });

        Assert.Equal(200, entered);
        Assert.Equal("preview", (string)answer["deployment"]!["state"]!["phase"]!);
        Assert.Equal(2, (long)answer["deployment"]!["state"]!["candidate_version"]!);
    }

    [Fact]
    public async Task Create_WithMisspeltGateLimit_Is400NamingTheField()
    {
        var gates = new JsonObject { ["maxLatencyMs"] = 5 };
        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/v1/deployments", new JsonObject
        {
            ["name"] = "warm-typo", ["model"] = GatesFixture.Model, ["stable_version"] = 1, ["strategy"] = "bluegreen", ["gates"] = gates,
        });

        Assert.Equal(400, status);
        Assert.Contains("gates.maxLatencyMs: unknown field", (string)problem["detail"]!);
    }

    private static JsonNode Check(JsonNode report, string name) =>
        report["checks"]!.AsArray().Single(c => (string)c!["name"]! == name)!;

    private async Task<(int Status, JsonNode Body)> SendAsync(HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await fx.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!);
    }
}
