using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Ferry.Tracking.Tests.Mlflow;

/// <summary>The MLflow REST API as its documentation describes it: request fields, response shapes and error codes.</summary>
[Collection(TrackingServerCollection.Name)]
public sealed class MlflowApiTests(TrackingServerFixture server)
{
    private readonly MlflowClient _mlflow = new(server.Http);

    [Fact]
    public async Task TrainingRun_LoggedWithBatches_IsFoundByMetricFilterAndHasItsHistory()
    {
        var name = "exp-" + Guid.NewGuid().ToString("N");
        var experimentId = (string)(await _mlflow.OkAsync("experiments/create", $$"""{"name": "{{name}}", "tags": [{"key": "team", "value": "ml"}]}"""))["experiment_id"]!;
        var created = await _mlflow.OkAsync("runs/create",
            $$"""{"experiment_id": "{{experimentId}}", "run_name": "fit", "start_time": 1700000000000, "tags": [{"key": "mlflow.user", "value": "alice"}]}""");
        var runId = (string)created["run"]!["info"]!["run_id"]!;

        // 100 steps of a loss curve in one batch, with params and tags.
        var metrics = new JsonArray();
        for (var step = 0; step < 100; step++)
        {
            metrics.Add(new JsonObject { ["key"] = "loss", ["value"] = 1.0 / (step + 1), ["timestamp"] = 1700000000000 + step, ["step"] = step });
        }

        metrics.Add(new JsonObject { ["key"] = "accuracy", ["value"] = 0.93, ["timestamp"] = 1700000001000, ["step"] = 99 });
        var batch = new JsonObject
        {
            ["run_id"] = runId,
            ["metrics"] = metrics,
            ["params"] = new JsonArray(new JsonObject { ["key"] = "learning_rate", ["value"] = "0.01" }, new JsonObject { ["key"] = "trees", ["value"] = "100" }),
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "stage", ["value"] = "dev" }),
        };
        await _mlflow.OkAsync("runs/log-batch", batch.ToJsonString());
        var other = (string)(await _mlflow.OkAsync("runs/create", $$"""{"experiment_id": "{{experimentId}}", "run_name": "weak"}"""))["run"]!["info"]!["run_id"]!;
        await _mlflow.OkAsync("runs/log-metric", $$"""{"run_id": "{{other}}", "key": "accuracy", "value": 0.5, "timestamp": 1700000000000, "step": 0}""");

        var found = await _mlflow.OkAsync("runs/search", $$"""
            {"experiment_ids": ["{{experimentId}}"], "filter": "metrics.accuracy > 0.9 AND params.trees = '100' AND tags.stage = 'dev'",
             "order_by": ["metrics.accuracy DESC"], "max_results": 10}
            """);
        var (historyStatus, history) = await _mlflow.GetAsync($"metrics/get-history?run_id={runId}&metric_key=loss");
        var finished = await _mlflow.OkAsync("runs/update", $$"""{"run_id": "{{runId}}", "status": "FINISHED", "end_time": 1700000100000}""");
        var (_, fetched) = await _mlflow.GetAsync($"runs/get?run_id={runId}");

        var run = Assert.Single(found["runs"]!.AsArray())!;
        Assert.Equal(runId, (string)run["info"]!["run_id"]!);
        Assert.Equal(experimentId, (string)run["info"]!["experiment_id"]!);
        Assert.Equal("fit", (string)run["info"]!["run_name"]!);
        Assert.Equal(0.93, (double)Metric(run, "accuracy")["value"]!);
        Assert.Equal(0.01, (double)Metric(run, "loss")["value"]!);
        Assert.Equal(99L, (long)Metric(run, "loss")["step"]!);
        Assert.Equal("0.01", Pair(run["data"]!["params"]!, "learning_rate"));
        Assert.Equal("dev", Pair(run["data"]!["tags"]!, "stage"));

        Assert.Equal(HttpStatusCode.OK, historyStatus);
        var points = history["metrics"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(s => (long)s), points.Select(p => (long)p!["step"]!));
        Assert.All(points, p => Assert.Equal(1.0 / ((long)p!["step"]! + 1), (double)p["value"]!));
        Assert.All(points, p => Assert.Equal("loss", (string)p!["key"]!));

        Assert.Equal("FINISHED", (string)finished["run_info"]!["status"]!);
        Assert.Equal(1700000100000L, (long)finished["run_info"]!["end_time"]!);
        Assert.Equal("FINISHED", (string)fetched["run"]!["info"]!["status"]!);
        Assert.Equal("active", (string)fetched["run"]!["info"]!["lifecycle_stage"]!);
    }

    [Fact]
    public async Task Experiments_CreateGetRenameDelete_FollowMlflowShapes()
    {
        var name = "exp-" + Guid.NewGuid().ToString("N");
        var id = (string)(await _mlflow.OkAsync("experiments/create", $$"""{"name": "{{name}}"}"""))["experiment_id"]!;
        var (duplicateStatus, duplicate) = await _mlflow.PostAsync("experiments/create", $$"""{"name": "{{name}}"}""");
        var (_, byName) = await _mlflow.GetAsync($"experiments/get-by-name?experiment_name={name}");
        await _mlflow.OkAsync("experiments/update", $$"""{"experiment_id": "{{id}}", "new_name": "{{name}}-renamed"}""");
        var searched = await _mlflow.OkAsync("experiments/search", $$"""{"max_results": 10, "filter": "name = '{{name}}-renamed'"}""");
        await _mlflow.OkAsync("experiments/delete", $$"""{"experiment_id": "{{id}}"}""");
        var (_, deleted) = await _mlflow.GetAsync($"experiments/get?experiment_id={id}");
        var (missingStatus, missing) = await _mlflow.GetAsync("experiments/get?experiment_id=987654321");

        Assert.Equal(HttpStatusCode.BadRequest, duplicateStatus);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", (string)duplicate["error_code"]!);
        Assert.Equal(id, (string)byName["experiment"]!["experiment_id"]!);
        Assert.Equal("active", (string)byName["experiment"]!["lifecycle_stage"]!);
        Assert.Equal(id, (string)Assert.Single(searched["experiments"]!.AsArray())!["experiment_id"]!);
        Assert.Equal("deleted", (string)deleted["experiment"]!["lifecycle_stage"]!);
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string)missing["error_code"]!);
    }

    [Fact]
    public async Task BadRequests_GetMlflowErrorCodes_AndChangeNothing()
    {
        var runId = (string)(await _mlflow.OkAsync("runs/create", """{"experiment_id": "0", "run_name": "guarded"}"""))["run"]!["info"]!["run_id"]!;
        await _mlflow.OkAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "alpha", "value": "1"}""");

        var unknownRun = await _mlflow.PostAsync("runs/log-parameter", """{"run_id": "00000000000000000000000000000000", "key": "a", "value": "1"}""");
        var sameValue = await _mlflow.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "alpha", "value": "1"}""");
        var overwrite = await _mlflow.PostAsync("runs/log-batch", $$"""
            {"run_id": "{{runId}}", "metrics": [{"key": "m", "value": 1, "timestamp": 1, "step": 0}], "params": [{"key": "alpha", "value": "2"}]}
            """);
        var malformed = await _mlflow.PostAsync("runs/search", """{"experiment_ids": ["0"], "filter": "metrics.m >> 1"}""");
        var oversized = await _mlflow.PostAsync("runs/log-batch", OversizedBatch(runId));
        var longValue = await _mlflow.PostAsync("runs/log-parameter", $$"""{"run_id": "{{runId}}", "key": "long", "value": "{{new string('x', 6001)}}"}""");
        var notJson = await _mlflow.PostAsync("runs/log-batch", "{not json");
        var (_, after) = await _mlflow.GetAsync($"runs/get?run_id={runId}");

        AssertError(unknownRun, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal(HttpStatusCode.OK, sameValue.Status);
        AssertError(overwrite, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        AssertError(malformed, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        AssertError(oversized, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        AssertError(longValue, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        AssertError(notJson, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        // The refused batches wrote nothing: no metric from the overwrite, no param past the first.
        var data = after["run"]!["data"]!;
        Assert.Empty(data["metrics"]!.AsArray());
        Assert.Equal("1", Pair(data["params"]!, "alpha"));
        Assert.Single(data["params"]!.AsArray());
    }

    private static string OversizedBatch(string runId)
    {
        var metrics = new JsonArray();
        for (var i = 0; i < 1001; i++)
        {
            metrics.Add(new JsonObject { ["key"] = "m", ["value"] = i, ["timestamp"] = 1, ["step"] = i });
        }

        return new JsonObject { ["run_id"] = runId, ["metrics"] = metrics }.ToJsonString();
    }

    private static void AssertError((HttpStatusCode Status, JsonNode Body) answer, HttpStatusCode status, string code)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(code, (string)answer.Body["error_code"]!);
        Assert.False(string.IsNullOrEmpty((string?)answer.Body["message"]));
    }

    private static JsonNode Metric(JsonNode run, string key) =>
        run["data"]!["metrics"]!.AsArray().Single(m => (string)m!["key"]! == key)!;

    [Fact]
    public async Task LogMetric_NaNAndInfinities_AreAcceptedAndReturnedAsMlflowWritesThem()
    {
        var runId = (string)(await _mlflow.OkAsync("runs/create", """{"experiment_id": "0", "run_name": "nan"}"""))["run"]!["info"]!["run_id"]!;

        // Protobuf's JSON mapping, which MLflow's clients use, writes the non-finite doubles as these strings.
        await _mlflow.OkAsync("runs/log-metric", $$"""{"run_id": "{{runId}}", "key": "loss", "value": "Infinity", "timestamp": 1, "step": 0}""");
        await _mlflow.OkAsync("runs/log-batch", $$"""
            {"run_id": "{{runId}}", "metrics": [
              {"key": "loss", "value": "-Infinity", "timestamp": 2, "step": 1},
              {"key": "loss", "value": 0.5, "timestamp": 3, "step": 2},
              {"key": "loss", "value": "NaN", "timestamp": 4, "step": 3}]}
            """);
        var (status, history) = await _mlflow.GetAsync($"metrics/get-history?run_id={runId}&metric_key=loss");
        var (_, run) = await _mlflow.GetAsync($"runs/get?run_id={runId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["\"Infinity\"", "\"-Infinity\"", "0.5", "\"NaN\""], history["metrics"]!.AsArray().Select(p => p!["value"]!.ToJsonString()));
        Assert.Equal("\"NaN\"", Metric(run["run"]!, "loss")["value"]!.ToJsonString());
    }

    private static string Pair(JsonNode pairs, string key) =>
        (string)pairs.AsArray().Single(p => (string)p!["key"]! == key)!["value"]!;
}
