using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ferry.Storage;
using Ferry.Storage.Tracking;
using Ferry.Tests;
using Ferry.Tracking.Lineage;
using Ferry.Tracking.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Batch.Tests;

/// <summary>Issue 7, lineage through the server: a job names a registered model by alias and is recorded as a run.</summary>
public sealed class BatchJobRegistryTests : IClassFixture<BatchRegistryServerFixture>
{
    private readonly BatchRegistryServerFixture _server;

    public BatchJobRegistryTests(BatchRegistryServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Submit_WithAnAliasAndRegisterOutput_ScoresWithTheAliasedVersionAndLineageShowsTheRun()
    {
        var models = await RegisterAsync("tip", "champion", aliased: 1);
        var rows = TestData.Rows(400);
        TestData.Write(Path.Combine(_server.DataRoot, "tips.parquet"), rows);

        var id = await SubmitAsync(new { model = "tip@champion", input = "tips.parquet", output = "scored/tips.parquet", keep = new[] { "id" }, registerOutput = "tip-scores", experiment = "api" });
        var status = await WaitFinishedAsync(id);

        Assert.Equal("succeeded", status.GetProperty("state").GetString());
        var summary = status.GetProperty("summary");
        var runId = summary.GetProperty("runId").GetString()!;
        Assert.Equal("tip-scores:1", summary.GetProperty("outputDataset").GetString());
        var expected = DirectOnnx.Run(models[0], new Dictionary<string, float[]> { ["a"] = rows.Select(r => r.A).ToArray(), ["b"] = rows.Select(r => r.B).ToArray() }, "sum");
        var output = await OutputTable.ReadAsync(Path.Combine(_server.DataRoot, "scored", "tips.parquet"));
        Assert.Equal(expected.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), output.Select(r => r["sum"]));

        var run = (await _server.App.Services.GetRequiredService<IMetadataStore>().Tracking.GetRunAsync(runId, CancellationToken.None))!;
        Assert.Equal(RunStatuses.Finished, run.Status);
        Assert.Equal(("tip", "1"), (run.Params["model"], run.Params["model_version"]));
        Assert.Equal(400, run.LatestMetrics.Single(m => m.Key == "rows_out").Value);

        var lineage = await _server.Http.GetFromJsonAsync<JsonElement>("/api/v1/lineage/model-versions/tip/1");
        var use = Assert.Single(lineage.GetProperty("used_by").EnumerateArray());
        Assert.Equal(runId, use.GetProperty("run").GetProperty("run_id").GetString());
        var contexts = use.GetProperty("datasets").EnumerateArray().Select(d => (d.GetProperty("context").GetString(), d.GetProperty("name").GetString())).ToArray();
        Assert.Contains(("batch-output", "tip-scores"), contexts);
        Assert.Contains(("batch-input", "tips"), contexts);
        var other = await _server.Http.GetFromJsonAsync<JsonElement>("/api/v1/lineage/model-versions/tip/2");
        Assert.Empty(other.GetProperty("used_by").EnumerateArray());
    }

    [Theory]
    [InlineData("fee@nope", "no alias 'nope'")]
    [InlineData("fee:7", "no version 7")]
    [InlineData("ghost", "model 'ghost' is neither registered nor in the model repositories")]
    public async Task Submit_WithAnUnknownModelAliasOrVersion_Returns404NamingItAndQueuesNothing(string model, string named)
    {
        await RegisterAsync("fee", "champion", aliased: 2);
        TestData.Write(Path.Combine(_server.DataRoot, "fees.csv"), TestData.Rows(10));
        var output = "refused-" + Guid.NewGuid().ToString("N") + ".csv";

        using var response = await _server.Http.PostAsJsonAsync("/api/v1/batch/jobs", new { model, input = "fees.csv", output, register_output = "refused" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_server.DataRoot, output)));
        Assert.False(File.Exists(Path.Combine(_server.DataRoot, output + ".ferry-checkpoint.json")));
        Assert.Null(await _server.App.Services.GetRequiredService<IMetadataStore>().Tracking.GetDatasetVersionAsync("refused", 1, CancellationToken.None));
    }

    [Fact]
    public async Task Submit_WithAMalformedVersion_Returns400NamingTheField()
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/v1/batch/jobs", new { model = "fee:latest", input = "fees.csv", output = "x.csv" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("--model must be NAME, NAME:VERSION or NAME@ALIAS", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WithAnEmptyOutputDatasetName_Returns400NamingIt()
    {
        await RegisterAsync("fee", "champion", aliased: 2);

        using var response = await _server.Http.PostAsJsonAsync("/api/v1/batch/jobs", new { model = "fee@champion", input = "fees.csv", output = "empty-name.csv", register_output = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("register-output", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_server.DataRoot, "empty-name.csv.ferry-checkpoint.json")));
    }

    /// <summary>Registers two versions of an adder-shaped model (once per name) and points the alias at one.</summary>
    private async Task<string[]> RegisterAsync(string name, string alias, long aliased)
    {
        var registry = _server.App.Services.GetRequiredService<ModelRegistry>();
        var folder = Path.Combine(_server.Home, "onnx");
        var files = new[] { OnnxModelBuilder.AddFloats(width: 1).WriteTo(folder, name, 1), ScaledSum().WriteTo(folder, name, 2) };
        if (await _server.App.Services.GetRequiredService<IMetadataStore>().GetModelAsync(name, CancellationToken.None) is null)
        {
            foreach (var file in files)
            {
                await registry.RegisterAsync(new ModelRegistration { ModelName = name, ArtifactPath = file }, new ChangeContext("test"), CancellationToken.None);
            }
        }

        await registry.SetAliasAsync(name, alias, aliased, new ChangeContext("test"), CancellationToken.None);
        return files;
    }

    /// <summary>Same signature as the adder, other answers: sum = a * b + a.</summary>
    private static OnnxModelBuilder ScaledSum() => new OnnxModelBuilder()
        .Input("a", DataType.Fp32, null, 1)
        .Input("b", DataType.Fp32, null, 1)
        .Output("sum", DataType.Fp32, null, 1)
        .Output("product", DataType.Fp32, null, 1)
        .Node("Mul", ["a", "b"], ["product"])
        .Node("Add", ["product", "a"], ["sum"]);

    private async Task<string> SubmitAsync(object body)
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/v1/batch/jobs", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> WaitFinishedAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var status = await _server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/batch/jobs/{id}");
            if (status.GetProperty("state").GetString() is not ("queued" or "running"))
            {
                return status;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"job {id} did not finish");
    }
}
