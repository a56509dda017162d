using System.Text.Json.Nodes;

namespace Ferry.Delivery.Tests.Gates;

/// <summary>Gate checks through the real server on real ML.NET models and a registered evaluation dataset.</summary>
[Collection(GatesCollection.Name)]
public sealed class GateCheckTests(GatesFixture fx, Xunit.Abstractions.ITestOutputHelper output)
{
    private static JsonObject Contract() => new()
    {
        ["inputs"] = new JsonArray(Tensor("precipitation"), Tensor("temp_min"), Tensor("wind")),
        ["outputs"] = new JsonArray(Tensor("Probability.output")),
    };

    private static JsonObject Tensor(string name) => new() { ["name"] = name, ["datatype"] = "FP32", ["shape"] = new JsonArray(-1, 1) };

    private JsonObject Metric(string name = "auc") => new()
    {
        ["name"] = name, ["dataset"] = GatesFixture.Dataset, ["datasetVersion"] = fx.DatasetVersion, ["label"] = WarmDays.Label,
    };

    private static JsonObject Request(string model, long version, JsonObject policy, JsonObject? contract = null)
    {
        var request = new JsonObject { ["model"] = model, ["version"] = version, ["policy"] = policy };
        if (contract is not null)
        {
            request["contract"] = contract;
        }

        return request;
    }

    private static JsonNode Check(JsonNode report, string name) =>
        report["checks"]!.AsArray().Single(c => (string)c!["name"]! == name)!;

    [Fact]
    public async Task Check_BetterCandidate_PassesEveryCheckWithBothAucs()
    {
        var (status, report) = await fx.CheckAsync(Request(GatesFixture.Model, 2, new JsonObject
        {
            ["maxSizeBytes"] = 10_000_000, ["maxLatencyP99Ms"] = 1000, ["maxMemoryBytes"] = 2_000_000_000,
            ["benchmark"] = new JsonObject { ["warmupRuns"] = 2, ["timedRuns"] = 20 },
            ["metric"] = Metric(),
        }, Contract()));

        output.WriteLine(report.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Assert.Equal(200, status);
        Assert.True((bool)report["passed"]!, report.ToJsonString());
        Assert.Equal(["compatibility", "model_size", "latency_p99", "memory", "auc"], report["checks"]!.AsArray().Select(c => (string)c!["name"]!));
        var auc = Check(report, "auc");
        Assert.Equal(fx.Days.Auc(fx.Better), (double)auc["value"]!, 4);
        Assert.Equal(fx.Days.Auc(fx.Champion), (double)auc["reference"]!, 4);
        Assert.True((double)auc["difference"]! > 0);
        Assert.Contains("better than", (string)auc["message"]!);
    }

    [Fact]
    public async Task Check_WorseCandidate_FailsTheOptimisingMetricWithBothNumbers()
    {
        var (status, report) = await fx.CheckAsync(Request(GatesFixture.Model, 3, new JsonObject { ["metric"] = Metric() }));

        Assert.Equal(200, status);
        Assert.False((bool)report["passed"]!);
        Assert.True((bool)Check(report, "compatibility")["passed"]!, "same inputs as the champion");
        var auc = Check(report, "auc");
        Assert.False((bool)auc["passed"]!);
        var candidate = fx.Days.Auc(fx.Worse);
        var champion = fx.Days.Auc(fx.Champion);
        Assert.True(candidate < champion, $"the wrong-label model should be worse: {candidate} vs {champion}");
        Assert.Equal(candidate, (double)auc["value"]!, 4);
        Assert.Equal(champion, (double)auc["reference"]!, 4);
        Assert.Equal(candidate - champion, (double)auc["difference"]!, 4);
        var message = (string)auc["message"]!;
        Assert.Contains("worse than", message);
        Assert.Contains(((double)auc["value"]!).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture), message);
        Assert.Contains(((double)auc["reference"]!).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture), message);
    }

    [Fact]
    public async Task Check_WorseCandidateWithinTolerance_Passes()
    {
        var gap = fx.Days.Auc(fx.Champion) - fx.Days.Auc(fx.Worse);
        var metric = Metric();
        metric["tolerance"] = gap + 0.01;

        var (_, report) = await fx.CheckAsync(Request(GatesFixture.Model, 3, new JsonObject { ["metric"] = metric }));

        Assert.True((bool)Check(report, "auc")["passed"]!, report.ToJsonString());
    }

    [Fact]
    public async Task Check_IncompatibleCandidate_FailsCompatibilityNamingTheInput()
    {
        var (status, report) = await fx.CheckAsync(Request(GatesFixture.Model, 4, new JsonObject(), Contract()));

        Assert.Equal(200, status);
        Assert.False((bool)report["passed"]!);
        var compatibility = Check(report, "compatibility");
        Assert.False((bool)compatibility["passed"]!);
        Assert.Equal(1, (double)compatibility["value"]!);
        Assert.Contains("input 'temp_min': FP32[-1,1] expected, FP64[-1,1] found", (string)compatibility["message"]!);
    }

    [Fact]
    public async Task Check_WithoutContract_ComparesWithTheChampionsSignature()
    {
        var (_, report) = await fx.CheckAsync(Request(GatesFixture.Model, 4, new JsonObject()));

        var compatibility = Check(report, "compatibility");
        Assert.False((bool)compatibility["passed"]!);
        var message = (string)compatibility["message"]!;
        Assert.Contains("champion's signature (version 1)", message);
        Assert.Contains("input 'temp_min': FP32[-1,1] expected, FP64[-1,1] found", message);
        Assert.Contains("output 'PredictedLabel.output'", message);
    }

    [Fact]
    public async Task Check_TightSizeAndLatencyLimits_FailWithValueAgainstThreshold()
    {
        var size = (long)(await fx.GetVersionAsync(GatesFixture.Model, 2))["sizeBytes"]!;
        var (status, report) = await fx.CheckAsync(Request(GatesFixture.Model, 2, new JsonObject
        {
            ["maxSizeBytes"] = 100, ["maxLatencyP99Ms"] = 0.0001,
            ["benchmark"] = new JsonObject { ["warmupRuns"] = 1, ["timedRuns"] = 10 },
        }));

        Assert.Equal(200, status);
        Assert.False((bool)report["passed"]!);
        var sizeCheck = Check(report, "model_size");
        Assert.False((bool)sizeCheck["passed"]!);
        Assert.Equal(size, (double)sizeCheck["value"]!);
        Assert.Equal(100, (double)sizeCheck["threshold"]!);
        Assert.Equal(size - 100, (double)sizeCheck["difference"]!);
        Assert.Equal("bytes", (string)sizeCheck["unit"]!);
        Assert.Contains($"exceeds the limit 100 bytes by {size - 100} bytes", (string)sizeCheck["message"]!);

        var latency = Check(report, "latency_p99");
        Assert.False((bool)latency["passed"]!);
        Assert.True((double)latency["value"]! > 0.0001);
        Assert.Equal(0.0001, (double)latency["threshold"]!);
        Assert.Equal("ms", (string)latency["unit"]!);
        Assert.Contains("10 runs", (string)latency["message"]!);
        Assert.Contains("exceeds the limit 0.0001 ms", (string)latency["message"]!);
    }

    [Fact]
    public async Task Check_NoChampion_PassesTheMetricSayingSo()
    {
        var (status, report) = await fx.CheckAsync(Request(GatesFixture.Fresh, 1, new JsonObject { ["metric"] = Metric() }));

        Assert.Equal(200, status);
        Assert.True((bool)report["passed"]!, report.ToJsonString());
        var auc = Check(report, "auc");
        Assert.Equal(fx.Days.Auc(fx.Better), (double)auc["value"]!, 4);
        Assert.Contains("no version holds the alias 'champion'", (string)auc["message"]!);
        Assert.Contains("nothing to be compatible with", (string)Check(report, "compatibility")["message"]!);
    }

    [Fact]
    public async Task Check_Accuracy_MatchesTheRowsItScored()
    {
        var (_, report) = await fx.CheckAsync(Request(GatesFixture.Model, 2, new JsonObject { ["metric"] = Metric("accuracy") }));

        var accuracy = Check(report, "accuracy");
        Assert.Contains($"({fx.Days.Evaluation.Count} rows)", (string)accuracy["message"]!);
        Assert.InRange((double)accuracy["value"]!, 0.5, 1.0);
    }
}
