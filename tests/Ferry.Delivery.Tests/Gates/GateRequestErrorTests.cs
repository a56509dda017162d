using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Delivery.Tests.Gates;

/// <summary>Bad gate requests get problem details naming the field, with 400 or 404, never 500.</summary>
[Collection(GatesCollection.Name)]
public sealed class GateRequestErrorTests(GatesFixture fx)
{
    [Fact]
    public async Task Check_BadFields_Returns400NamingEach()
    {
        var (status, body) = await fx.CheckAsync(new JsonObject
        {
            ["model"] = GatesFixture.Model, ["version"] = 2,
            ["policy"] = new JsonObject
            {
                ["maxLatencyMs"] = 5,
                ["benchmark"] = new JsonObject { ["timedRuns"] = 0 },
                ["metric"] = new JsonObject { ["name"] = "bogus", ["dataset"] = GatesFixture.Dataset, ["datasetVersion"] = 1, ["label"] = "warm" },
            },
        });

        Assert.Equal(400, status);
        var detail = (string)body["detail"]!;
        Assert.Contains("policy.maxLatencyMs: unknown field", detail);

        // Unknown fields are reported first; with them fixed, the values are checked.
        (status, body) = await fx.CheckAsync(new JsonObject
        {
            ["model"] = GatesFixture.Model, ["version"] = 2,
            ["policy"] = new JsonObject
            {
                ["benchmark"] = new JsonObject { ["timedRuns"] = 0 },
                ["metric"] = new JsonObject { ["name"] = "bogus", ["dataset"] = GatesFixture.Dataset, ["datasetVersion"] = 1, ["label"] = "warm" },
            },
        });
        Assert.Equal(400, status);
        detail = (string)body["detail"]!;
        Assert.Contains("policy.benchmark.timedRuns: must be 1 to", detail);
        Assert.Contains("policy.metric.name: 'bogus' is not one of auc, accuracy, f1, rmse, mae", detail);
    }

    [Fact]
    public async Task Check_MissingModelAndBadContractType_Returns400()
    {
        var (status, body) = await fx.CheckAsync(new JsonObject
        {
            ["version"] = "x",
            ["contract"] = new JsonObject { ["inputs"] = new JsonArray(new JsonObject { ["name"] = "a", ["datatype"] = "FP33", ["shape"] = new JsonArray(-1) }) },
        });

        Assert.Equal(400, status);
        var detail = (string)body["detail"]!;
        Assert.Contains("model: is required", detail);
        Assert.Contains("version: expected an integer", detail);
        Assert.Contains("contract.inputs[0].datatype: 'FP33' is not one of", detail);
    }

    [Fact]
    public async Task Check_NotJson_Returns400()
    {
        using var response = await fx.Http.PostAsync("/api/v1/gates/check", new StringContent("{\"model\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("body: not valid JSON", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("nope", 1, "model 'nope' has no version 1")]
    [InlineData(GatesFixture.Model, 99, "model 'warm' has no version 99")]
    public async Task Check_UnknownModelOrVersion_Returns404(string model, long version, string expected)
    {
        var (status, body) = await fx.CheckAsync(new JsonObject { ["model"] = model, ["version"] = version, ["policy"] = new JsonObject() });

        Assert.Equal(404, status);
        Assert.Contains(expected, (string)body["detail"]!);
    }

    [Fact]
    public async Task Check_UnknownDatasetVersion_Returns404()
    {
        var (status, body) = await fx.CheckAsync(new JsonObject
        {
            ["model"] = GatesFixture.Model, ["version"] = 2,
            ["policy"] = new JsonObject { ["metric"] = new JsonObject { ["name"] = "auc", ["dataset"] = GatesFixture.Dataset, ["datasetVersion"] = 42, ["label"] = "warm" } },
        });

        Assert.Equal(404, status);
        Assert.Contains($"dataset '{GatesFixture.Dataset}' has no version 42", (string)body["detail"]!);
    }

    [Fact]
    public async Task Check_DatasetChangedOnDiskSinceRegistration_Returns404SayingSo()
    {
        using var content = new StringContent(fx.Days.EvaluationCsv(), Encoding.UTF8, "text/csv");
        using var registered = await fx.Http.PostAsync("/api/v1/datasets?name=mutable&filename=eval.csv", content);
        var dataset = JsonNode.Parse(await registered.Content.ReadAsStringAsync())!;
        await File.AppendAllTextAsync((string)dataset["source"]!, "0,0,0,1\n");

        var (status, body) = await fx.CheckAsync(new JsonObject
        {
            ["model"] = GatesFixture.Model, ["version"] = 2,
            ["policy"] = new JsonObject
            {
                ["metric"] = new JsonObject { ["name"] = "auc", ["dataset"] = "mutable", ["datasetVersion"] = (long)dataset["version"]!, ["label"] = "warm" },
            },
        });

        Assert.Equal(404, status);
        Assert.Contains("changed since registration", (string)body["detail"]!);
    }

    [Fact]
    public async Task Check_LabelColumnMissing_Returns400NamingTheLabel()
    {
        var (status, body) = await fx.CheckAsync(new JsonObject
        {
            ["model"] = GatesFixture.Model, ["version"] = 2,
            ["policy"] = new JsonObject
            {
                ["metric"] = new JsonObject { ["name"] = "auc", ["dataset"] = GatesFixture.Dataset, ["datasetVersion"] = fx.DatasetVersion, ["label"] = "sunny" },
            },
        });

        Assert.Equal(400, status);
        Assert.Contains("policy.metric.label: dataset 'warm-eval' version 1 has no column 'sunny'", (string)body["detail"]!);
    }

    [Fact]
    public async Task Check_UnknownPredictionOutput_Returns400NamingIt()
    {
        var (status, body) = await fx.CheckAsync(new JsonObject
        {
            ["model"] = GatesFixture.Model, ["version"] = 2,
            ["policy"] = new JsonObject
            {
                ["metric"] = new JsonObject
                {
                    ["name"] = "accuracy", ["dataset"] = GatesFixture.Dataset, ["datasetVersion"] = fx.DatasetVersion, ["label"] = "warm", ["prediction"] = "nothing",
                },
            },
        });

        Assert.Equal(400, status);
        Assert.Contains("policy.metric.prediction: 'nothing' is not an output", (string)body["detail"]!);
    }
}
