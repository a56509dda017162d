using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Ferry.Tests;
using Ferry.Tracking.Registry;
using Ferry.Tracking.Tests.Mlflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Tracking.Tests.Lineage;

/// <summary>A dataset, a run that trained on it and a model version from that run, linked both ways.</summary>
[Collection(TrackingServerCollection.Name)]
public sealed class LineageApiTests(TrackingServerFixture server)
{
    [Fact]
    public async Task ModelVersionFromARun_LinksUpToRunAndDataset_AndDatasetLinksDownToBoth()
    {
        var name = "lineage-" + Guid.NewGuid().ToString("N")[..8];
        var data = Path.Combine(server.Home, "data", name);
        Directory.CreateDirectory(data);
        File.Copy(TestAssets.SeattleWeather, Path.Combine(data, "seattle-weather.csv"));
        using var registered = await server.Http.PostAsJsonAsync("/api/v1/datasets", new { name, path = name });
        var dataset = JsonNode.Parse(await registered.Content.ReadAsStringAsync())!;

        // The run names the dataset the MLflow way: by name and digest, with the context in a tag.
        var mlflow = new MlflowClient(server.Http);
        var runId = (string)(await mlflow.OkAsync("runs/create", """{"experiment_id": "0", "run_name": "train"}"""))["run"]!["info"]!["run_id"]!;
        await mlflow.OkAsync("runs/log-inputs", new JsonObject
        {
            ["run_id"] = runId,
            ["datasets"] = new JsonArray(new JsonObject
            {
                ["tags"] = new JsonArray(new JsonObject { ["key"] = "mlflow.data.context", ["value"] = "train" }),
                ["dataset"] = new JsonObject { ["name"] = name, ["digest"] = (string)dataset["digest"]!, ["source_type"] = "local", ["source"] = data },
            }),
        }.ToJsonString());
        var model = await RegisterModelAsync(name, runId, (string)dataset["id"]!);

        var up = JsonNode.Parse(await server.Http.GetStringAsync($"/api/v1/lineage/model-versions/{name}/{model}"))!;
        var down = JsonNode.Parse(await server.Http.GetStringAsync($"/api/v1/lineage/datasets/{name}/1"))!;
        using var missing = await server.Http.GetAsync($"/api/v1/lineage/model-versions/{name}/99");

        Assert.Equal(runId, (string)up["run"]!["run_id"]!);
        var upDataset = Assert.Single(up["datasets"]!.AsArray())!;
        Assert.Equal((string)dataset["id"]!, (string)upDataset["id"]!);
        Assert.Equal(1L, (long)upDataset["version"]!);
        Assert.Equal("train", (string)upDataset["context"]!);
        var run = Assert.Single(down["runs"]!.AsArray())!;
        Assert.Equal(runId, (string)run["run_id"]!);
        Assert.Equal("train", (string)run["context"]!);
        var version = Assert.Single(down["model_versions"]!.AsArray())!;
        Assert.Equal(name, (string)version["name"]!);
        Assert.Equal(model, (long)version["version"]!);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>Registers through the registry over the server's own store: the registry's HTTP API is another branch's.</summary>
    private async Task<long> RegisterModelAsync(string name, string runId, string datasetId)
    {
        var repository = Path.Combine(server.Home, "models-" + name);
        var file = OnnxModelBuilder.AddFloats().WriteTo(repository, name);
        var store = server.App.Services.GetRequiredService<IMetadataStore>();
        var registry = new ModelRegistry(store, new FileBlobStore(Path.Combine(server.Home, "blobs")), TimeProvider.System, NullLogger<ModelRegistry>.Instance);
        var version = await registry.RegisterAsync(new ModelRegistration
        {
            ModelName = name, ArtifactPath = file, SourceRunId = runId, DatasetVersionIds = [datasetId],
        }, new ChangeContext("test"), CancellationToken.None);
        return version.Version;
    }
}
