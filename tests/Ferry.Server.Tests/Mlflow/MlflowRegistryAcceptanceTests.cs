using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ferry.Server.Tests.Registry;
using Ferry.Tests;

namespace Ferry.Server.Tests.Mlflow;

/// <summary>
/// Acceptance 1: a client written from MLflow's REST docs logs a run, searches it, uploads the ONNX model as a run
/// artifact, registers a version from it and sets an alias; every answer has MLflow's shape, and the version is the
/// native registry's own record, served at <c>/v2</c>.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class MlflowRegistryAcceptanceTests(RegistryServerFixture server)
{
    [Fact]
    public async Task MlflowClient_LogsRunRegistersItsModelAndSetsAlias_SameRecordsAsNativeRegistryAndServed()
    {
        using var http = server.Client(server.WriterToken);
        var mlflow = new MlflowRest(http);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var model = "mlflow-adder-" + suffix;

        var experimentId = (string)(await mlflow.OkAsync(mlflow.PostAsync("experiments/create", new JsonObject { ["name"] = "acceptance-" + suffix })))["experiment_id"]!;
        var run = (await mlflow.OkAsync(mlflow.PostAsync("runs/create", new JsonObject
        {
            ["experiment_id"] = experimentId, ["run_name"] = "train", ["start_time"] = 1_700_000_000_000,
        })))["run"]!;
        var runId = (string)run["info"]!["run_id"]!;
        var artifactUri = (string)run["info"]!["artifact_uri"]!;

        // 100 steps in two batches (MLflow's clients split long series), params and tags in the first.
        for (var half = 0; half < 2; half++)
        {
            var metrics = new JsonArray();
            for (var step = half * 50; step < (half + 1) * 50; step++)
            {
                metrics.Add(new JsonObject { ["key"] = "loss", ["value"] = 1.0 / (step + 1), ["timestamp"] = 1_700_000_000_000 + step, ["step"] = step });
            }

            var batch = new JsonObject { ["run_id"] = runId, ["metrics"] = metrics };
            if (half == 0)
            {
                batch["params"] = new JsonArray(new JsonObject { ["key"] = "lr", ["value"] = "0.01" });
                batch["tags"] = new JsonArray(new JsonObject { ["key"] = "stage", ["value"] = "dev" });
            }

            Assert.Empty((await mlflow.OkAsync(mlflow.PostAsync("runs/log-batch", batch))).AsObject());
        }

        var found = await mlflow.OkAsync(mlflow.PostAsync("runs/search", new JsonObject
        {
            ["experiment_ids"] = new JsonArray(experimentId),
            ["filter"] = "metrics.loss < 0.02 AND params.lr = '0.01' AND tags.stage = 'dev'",
            ["order_by"] = new JsonArray("metrics.loss ASC"),
            ["max_results"] = 10,
        }));
        var foundRun = Assert.Single(found["runs"]!.AsArray())!;
        Assert.Equal(runId, (string)foundRun["info"]!["run_id"]!);
        Assert.Equal(0.01, (double)foundRun["data"]!["metrics"]!.AsArray().Single(m => (string)m!["key"]! == "loss")!["value"]!);

        // The model goes up as a run artifact, the way MLflow clients log one.
        var onnx = OnnxModelBuilder.AddFloats().Build();
        Assert.Equal(HttpStatusCode.OK, await mlflow.UploadArtifactAsync(artifactUri, "model/model.onnx", onnx));
        Assert.Equal(HttpStatusCode.OK, await mlflow.UploadArtifactAsync(artifactUri, "model/MLmodel", "flavors: {onnx: {}}"u8.ToArray()));
        var listed = await mlflow.OkAsync(mlflow.GetAsync("artifacts/list", ("run_id", runId), ("path", "model")));
        Assert.Equal(artifactUri, (string)listed["root_uri"]!);
        Assert.Equal(["model/MLmodel", "model/model.onnx"], listed["files"]!.AsArray().Select(f => (string)f!["path"]!));
        Assert.Equal(onnx.Length, (long)listed["files"]![1]!["file_size"]!);

        var created = (await mlflow.OkAsync(mlflow.PostAsync("registered-models/create", new JsonObject
        {
            ["name"] = model, ["description"] = "adds two vectors", ["tags"] = new JsonArray(new JsonObject { ["key"] = "team", ["value"] = "ml" }),
        })))["registered_model"]!;
        Assert.Equal(model, (string)created["name"]!);
        Assert.Equal("adds two vectors", (string)created["description"]!);
        Assert.True((long)created["creation_timestamp"]! > 0);
        Assert.Empty(created["latest_versions"]!.AsArray());

        var version = (await mlflow.OkAsync(mlflow.PostAsync("model-versions/create", new JsonObject
        {
            ["name"] = model, ["source"] = "runs:/" + runId + "/model", ["run_id"] = runId, ["description"] = "first",
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "validated", ["value"] = "yes" }),
        })))["model_version"]!;
        AssertVersionShape(version, model, "1", runId, "runs:/" + runId + "/model");
        Assert.Equal("first", (string)version["description"]!);
        Assert.Equal("yes", Tag(version, "validated"));

        Assert.Empty((await mlflow.OkAsync(mlflow.PostAsync("registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = "champion", ["version"] = "1" }))).AsObject());
        var byAlias = (await mlflow.OkAsync(mlflow.GetAsync("registered-models/alias", ("name", model), ("alias", "champion"))))["model_version"]!;
        AssertVersionShape(byAlias, model, "1", runId, "runs:/" + runId + "/model");
        Assert.Equal(["champion"], byAlias["aliases"]!.AsArray().Select(a => (string)a!));

        var got = (await mlflow.OkAsync(mlflow.GetAsync("registered-models/get", ("name", model))))["registered_model"]!;
        Assert.Equal("1", (string)Assert.Single(got["latest_versions"]!.AsArray())!["version"]!);
        var alias = Assert.Single(got["aliases"]!.AsArray())!;
        Assert.Equal("champion", (string)alias["alias"]!);
        Assert.Equal("1", (string)alias["version"]!);
        Assert.Equal("ml", Tag(got, "team"));

        var byRun = await mlflow.OkAsync(mlflow.GetAsync("model-versions/search", ("filter", $"run_id = '{runId}'")));
        Assert.Equal("1", (string)Assert.Single(byRun["model_versions"]!.AsArray())!["version"]!);
        var byName = await mlflow.OkAsync(mlflow.GetAsync("registered-models/search", ("filter", $"name LIKE 'mlflow-adder-{suffix}%'"), ("max_results", "10")));
        Assert.Equal(model, (string)Assert.Single(byName["registered_models"]!.AsArray())!["name"]!);

        // The same record in the native registry: the artifact's bytes, the run as lineage, the alias.
        var native = await http.GetAnswerAsync($"/api/v1/registry/models/{model}/versions/1");
        Assert.Equal(HttpStatusCode.OK, native.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(onnx)), (string)native.Json!["digest"]!);
        Assert.Equal(runId, (string)native.Json["sourceRunId"]!);
        Assert.Equal(["champion"], native.Json["aliases"]!.AsArray().Select(a => (string)a!));

        // Served by its alias at once.
        var answer = await http.PostJsonAsync($"/v2/models/{model}/infer", RestCalls.AddRequest());
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("[11,22,33,44]", answer.Json!["outputs"]![0]!["data"]!.ToJsonString());
        Assert.Equal("1", (string)answer.Json["model_version"]!);

        // And the other way: a version uploaded natively is MLflow's version 2, its alias visible there.
        (await http.UploadAsync(model, onnx, "&alias=challenger")).AssertOk();
        var second = (await mlflow.OkAsync(mlflow.GetAsync("model-versions/get", ("name", model), ("version", "2"))))["model_version"]!;
        Assert.Equal(["challenger"], second["aliases"]!.AsArray().Select(a => (string)a!));
        Assert.Equal($"models:/{model}/2", (string)second["source"]!);
        var latest = await mlflow.OkAsync(mlflow.PostAsync("registered-models/get-latest-versions", new JsonObject { ["name"] = model }));
        Assert.Equal("2", (string)Assert.Single(latest["model_versions"]!.AsArray())!["version"]!);
    }

    [Fact]
    public async Task RegistryWrites_WithoutWriterToken_AreRefusedInMlflowShapeAndChangeNothing()
    {
        var model = "mlflow-auth-" + Guid.NewGuid().ToString("N")[..8];
        using var anonymous = server.Client(null);
        using var reader = server.Client(server.ReaderToken);
        var body = new JsonObject { ["name"] = model };

        MlflowRest.AssertError(await new MlflowRest(anonymous).PostAsync("registered-models/create", body), HttpStatusCode.Unauthorized, "UNAUTHENTICATED", "Bearer");
        MlflowRest.AssertError(await new MlflowRest(reader).PostAsync("registered-models/create", body.DeepClone()), HttpStatusCode.Forbidden, "PERMISSION_DENIED", "writer");

        // A reader may read: the model is not there.
        MlflowRest.AssertError(await new MlflowRest(reader).GetAsync("registered-models/get", ("name", model)), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", model);
    }

    private static void AssertVersionShape(JsonNode version, string model, string number, string runId, string source)
    {
        Assert.Equal(model, (string)version["name"]!);
        Assert.Equal(number, (string)version["version"]!);
        Assert.Equal(runId, (string)version["run_id"]!);
        Assert.Equal(source, (string)version["source"]!);
        Assert.Equal("READY", (string)version["status"]!);
        Assert.Equal("None", (string)version["current_stage"]!);
        Assert.True((long)version["creation_timestamp"]! > 0);
        Assert.True((long)version["last_updated_timestamp"]! >= (long)version["creation_timestamp"]!);
        Assert.NotNull(version["tags"]);
        Assert.NotNull(version["aliases"]);
        Assert.NotNull(version["run_link"]);
        Assert.DoesNotContain(version["tags"]!.AsArray(), t => ((string)t!["key"]!).StartsWith("ferry.", StringComparison.Ordinal));
    }

    private static string? Tag(JsonNode entity, string key) =>
        (string?)entity["tags"]!.AsArray().SingleOrDefault(t => (string)t!["key"]! == key)?["value"];
}
