using System.Net;
using System.Text.Json.Nodes;
using Ferry.Server.Tests.Registry;
using Ferry.Tests;

namespace Ferry.Server.Tests.Mlflow;

/// <summary>Acceptance 4 for the MLflow registry endpoints: MLflow's error codes and statuses, the field named, nothing changed.</summary>
[Collection(RegistryCollection.Name)]
public sealed class MlflowRegistryErrorTests(RegistryServerFixture server)
{
    private readonly HttpClient _http = server.Client(server.WriterToken);

    private MlflowRest Mlflow => new(_http);

    [Fact]
    public async Task UnknownModelOrVersion_IsResourceDoesNotExist()
    {
        var (model, _) = await ModelWithVersionAsync();
        var missing = "missing-" + Guid.NewGuid().ToString("N")[..8];

        MlflowRest.AssertError(await Mlflow.GetAsync("registered-models/get", ("name", missing)), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", missing);
        MlflowRest.AssertError(await Mlflow.GetAsync("model-versions/get", ("name", model), ("version", "7")), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "7");
        MlflowRest.AssertError(await Mlflow.GetAsync("registered-models/alias", ("name", model), ("alias", "nobody")), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "nobody");
        MlflowRest.AssertError(await Mlflow.PatchAsync("registered-models/update", new JsonObject { ["name"] = missing, ["description"] = "x" }),
            HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", missing);
        MlflowRest.AssertError(await Mlflow.DeleteAsync("model-versions/delete", new JsonObject { ["name"] = model, ["version"] = "9" }),
            HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "9");
        MlflowRest.AssertError(await Mlflow.PostAsync("registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = "champion", ["version"] = "5" }),
            HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "5");

        // model-versions/create on a model that was never created is refused, as MLflow does, and creates no model.
        var run = await RunWithModelAsync();
        MlflowRest.AssertError(await Mlflow.PostAsync("model-versions/create", new JsonObject { ["name"] = missing, ["source"] = $"runs:/{run}/model" }),
            HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", missing);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAnswerAsync($"/api/v1/registry/models/{missing}")).Status);

        // The existing model kept its one version and has no alias.
        var after = (await Mlflow.OkAsync(Mlflow.GetAsync("registered-models/get", ("name", model))))["registered_model"]!;
        Assert.Equal("1", (string)Assert.Single(after["latest_versions"]!.AsArray())!["version"]!);
        Assert.Empty(after["aliases"]!.AsArray());
    }

    [Fact]
    public async Task DuplicateCreate_IsResourceAlreadyExists_AndKeepsTheModel()
    {
        var model = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await Mlflow.OkAsync(Mlflow.PostAsync("registered-models/create", new JsonObject { ["name"] = model, ["description"] = "original" }));

        var again = await Mlflow.PostAsync("registered-models/create", new JsonObject
        {
            ["name"] = model, ["description"] = "replacement", ["tags"] = new JsonArray(new JsonObject { ["key"] = "k", ["value"] = "v" }),
        });

        MlflowRest.AssertError(again, HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS", model);
        var kept = (await Mlflow.OkAsync(Mlflow.GetAsync("registered-models/get", ("name", model))))["registered_model"]!;
        Assert.Equal("original", (string)kept["description"]!);
        Assert.Empty(kept["tags"]!.AsArray());
    }

    [Fact]
    public async Task SourceThatIsNotAnOnnxModel_IsInvalidParameterValueNamingSource_AndRegistersNothing()
    {
        var model = "nosource-" + Guid.NewGuid().ToString("N")[..8];
        await Mlflow.OkAsync(Mlflow.PostAsync("registered-models/create", new JsonObject { ["name"] = model }));
        var run = await NewRunAsync();
        Assert.Equal(HttpStatusCode.OK, await Mlflow.UploadArtifactAsync(run.ArtifactUri, "model/MLmodel", "flavors: {}"u8.ToArray()));
        Assert.Equal(HttpStatusCode.OK, await Mlflow.UploadArtifactAsync(run.ArtifactUri, "broken/model.onnx", "not a model"u8.ToArray()));

        foreach (var source in new[] { $"runs:/{run.Id}/model", $"runs:/{run.Id}/elsewhere", "s3://bucket/model", $"runs:/{Guid.NewGuid():N}/model", "model" })
        {
            var answer = await Mlflow.PostAsync("model-versions/create", new JsonObject { ["name"] = model, ["source"] = source, ["run_id"] = run.Id });
            MlflowRest.AssertError(answer, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "source");
        }

        // An ONNX file that ONNX Runtime cannot load is refused by the registry's check, as a native upload is.
        var broken = await Mlflow.PostAsync("model-versions/create", new JsonObject { ["name"] = model, ["source"] = run.ArtifactUri + "/broken" });
        Assert.Equal(HttpStatusCode.BadRequest, broken.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)broken.Body["error_code"]);

        var versions = await Mlflow.OkAsync(Mlflow.GetAsync("model-versions/search", ("filter", $"name = '{model}'")));
        Assert.Empty(versions["model_versions"]!.AsArray());
        var native = await _http.GetAnswerAsync($"/api/v1/registry/models/{model}");
        Assert.Equal(0L, (long)native.Json!["lastVersion"]!);
    }

    [Fact]
    public async Task BadFields_AreInvalidParameterValueNamingTheField_AndChangeNothing()
    {
        var (model, _) = await ModelWithVersionAsync();

        MlflowRest.AssertError(await Mlflow.PostAsync("registered-models/create", new JsonObject { ["description"] = "no name" }),
            HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'name'");
        MlflowRest.AssertError(await Mlflow.GetAsync("model-versions/get", ("name", model), ("version", "one")), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'version'");
        MlflowRest.AssertError(await Mlflow.PostAsync("registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = "latest", ["version"] = "1" }),
            HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "latest");
        MlflowRest.AssertError(await Mlflow.PostAsync("registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = "v2", ["version"] = "1" }),
            HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "v2");
        MlflowRest.AssertError(await Mlflow.GetAsync("registered-models/search", ("max_results", "1001")), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "max_results");
        MlflowRest.AssertError(await Mlflow.GetAsync("registered-models/search", ("filter", "name LIKE 'a_b%'")), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "filter");
        MlflowRest.AssertError(await Mlflow.GetAsync("registered-models/search", ("order_by", "last_updated_timestamp DESC")), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "order_by");
        MlflowRest.AssertError(await Mlflow.GetAsync("model-versions/search", ("filter", "metrics.x > 1")), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "filter");
        MlflowRest.AssertError(await Mlflow.PostAsync("registered-models/set-tag", new JsonObject { ["name"] = model, ["key"] = new string('k', 251), ["value"] = "v" }),
            HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "tag key");
        MlflowRest.AssertError(await Mlflow.PostAsync("model-versions/create", new JsonObject { ["name"] = model }), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'source'");

        var after = (await Mlflow.OkAsync(Mlflow.GetAsync("registered-models/get", ("name", model))))["registered_model"]!;
        Assert.Empty(after["aliases"]!.AsArray());
        Assert.Empty(after["tags"]!.AsArray());
        Assert.Equal("1", (string)Assert.Single(after["latest_versions"]!.AsArray())!["version"]!);
    }

    [Fact]
    public async Task UpdateAndDelete_ChangeTheNativeRecords()
    {
        var (model, _) = await ModelWithVersionAsync();
        var updated = (await Mlflow.OkAsync(Mlflow.PatchAsync("model-versions/update", new JsonObject { ["name"] = model, ["version"] = "1", ["description"] = "checked" })))["model_version"]!;
        Assert.Equal("checked", (string)updated["description"]!);
        Assert.Equal("checked", (string)(await _http.GetAnswerAsync($"/api/v1/registry/models/{model}/versions/1")).Json!["description"]!);

        await Mlflow.OkAsync(Mlflow.PostAsync("registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = "champion", ["version"] = "1" }));
        await Mlflow.OkAsync(Mlflow.DeleteAsync("registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = "champion" }));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAnswerAsync($"/api/v1/registry/models/{model}/aliases/champion")).Status);

        await Mlflow.OkAsync(Mlflow.DeleteAsync("model-versions/delete", new JsonObject { ["name"] = model, ["version"] = "1" }));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAnswerAsync($"/api/v1/registry/models/{model}/versions/1")).Status);
        await Mlflow.OkAsync(Mlflow.DeleteAsync("registered-models/delete", new JsonObject { ["name"] = model }));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAnswerAsync($"/api/v1/registry/models/{model}")).Status);
    }

    /// <summary>A model created through MLflow with version 1 registered from a run's artifact.</summary>
    private async Task<(string Model, string RunId)> ModelWithVersionAsync()
    {
        var model = "err-" + Guid.NewGuid().ToString("N")[..8];
        var run = await RunWithModelAsync();
        await Mlflow.OkAsync(Mlflow.PostAsync("registered-models/create", new JsonObject { ["name"] = model }));
        await Mlflow.OkAsync(Mlflow.PostAsync("model-versions/create", new JsonObject { ["name"] = model, ["source"] = $"runs:/{run}/model", ["run_id"] = run }));
        return (model, run);
    }

    private async Task<string> RunWithModelAsync()
    {
        var run = await NewRunAsync();
        Assert.Equal(HttpStatusCode.OK, await Mlflow.UploadArtifactAsync(run.ArtifactUri, "model/model.onnx", OnnxModelBuilder.AddFloats().Build()));
        return run.Id;
    }

    private async Task<(string Id, string ArtifactUri)> NewRunAsync()
    {
        var info = (await Mlflow.OkAsync(Mlflow.PostAsync("runs/create", new JsonObject { ["experiment_id"] = "0" })))["run"]!["info"]!;
        return ((string)info["run_id"]!, (string)info["artifact_uri"]!);
    }
}
