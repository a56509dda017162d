using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ferry.Server.Mlflow;

namespace Ferry.Tracking.Tests.Mlflow;

/// <summary>
/// runs/search and runs/get write their runs with a hand-written Utf8JsonWriter, and get-history streams its points in
/// batches from the store: these pin both to the JSON that MLflow's message records serialize to.
/// </summary>
[Collection(TrackingServerCollection.Name)]
public sealed class MlflowRunWriterTests(TrackingServerFixture server)
{
    // MLflow's JSON as the server's serializer writes its messages: snake_case, nulls left out, NaN as a string.
    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly MlflowClient _mlflow = new(server.Http);

    [Fact]
    public async Task SearchAndGet_WriteTheRunByteForByteAsTheMessageSerializerDoes()
    {
        var name = "writer-" + Guid.NewGuid().ToString("N");
        var experimentId = (string)(await _mlflow.OkAsync("experiments/create", $$"""{"name": "{{name}}"}"""))["experiment_id"]!;
        var runId = (string)(await _mlflow.OkAsync("runs/create", $$"""
            {"experiment_id": "{{experimentId}}", "user_id": "ana", "run_name": "shape <é>", "start_time": 1700000000000,
             "tags": [{"key": "note", "value": "say \"hi\" & <bye>\n"}]}
            """))["run"]!["info"]!["run_id"]!;
        await _mlflow.OkAsync("runs/log-batch", $$"""
            {"run_id": "{{runId}}",
             "metrics": [{"key": "loss", "value": 0.25, "timestamp": 1700000000005, "step": 5},
                         {"key": "acc", "value": "NaN", "timestamp": 1700000000001, "step": 1},
                         {"key": "inf", "value": "-Infinity", "timestamp": 1700000000002, "step": 2}],
             "params": [{"key": "lr", "value": "0.01"}, {"key": "depth", "value": "6"}]}
            """);
        await _mlflow.OkAsync("runs/log-inputs", $$$"""
            {"run_id": "{{{runId}}}", "datasets": [{"tags": [{"key": "mlflow.data.context", "value": "training"}],
              "dataset": {"name": "train-{{{name}}}", "digest": "abc123", "source_type": "local", "source": "/data/train.csv", "schema": "{\"cols\": []}"}}]}
            """);
        var updated = await _mlflow.OkAsync("runs/update", $$"""{"run_id": "{{runId}}", "status": "FINISHED", "end_time": 1700000100000}""");

        using var searchResponse = await server.Http.PostAsync("/api/2.0/mlflow/runs/search",
            new StringContent($$"""{"experiment_ids": ["{{experimentId}}"]}""", Encoding.UTF8, "application/json"));
        var search = await searchResponse.Content.ReadAsStringAsync();
        using var getResponse = await server.Http.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}");
        var get = await getResponse.Content.ReadAsStringAsync();

        var info = updated["run_info"].Deserialize<MlflowRunInfo>(MessageJson)!;
        var expected = JsonSerializer.Serialize(new MlflowRun(
            info,
            new MlflowRunData(
                [new("acc", double.NaN, 1700000000001, 1), new("inf", double.NegativeInfinity, 1700000000002, 2), new("loss", 0.25, 1700000000005, 5)],
                [new("depth", "6"), new("lr", "0.01")],
                [new("note", "say \"hi\" & <bye>\n")]),
            new MlflowRunInputs([new([new("mlflow.data.context", "training")],
                new MlflowDataset("train-" + name, "abc123", "local", "/data/train.csv", """{"cols": []}""", null))])), MessageJson);
        Assert.Equal(HttpStatusCode.OK, searchResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, getResponse.StatusCode);
        Assert.Equal("FINISHED", info.Status);
        Assert.Equal(1700000100000, info.EndTime);
        Assert.Equal("{\"runs\":[" + expected + "]}", search);
        Assert.Equal("{\"run\":" + expected + "}", get);
    }

    [Fact]
    public async Task Search_RunningRunWithoutEndTimeAndAFullPage_LeavesOutEndTimeAndGivesTheNextPageToken()
    {
        var name = "writer-" + Guid.NewGuid().ToString("N");
        var experimentId = (string)(await _mlflow.OkAsync("experiments/create", $$"""{"name": "{{name}}"}"""))["experiment_id"]!;
        for (var i = 0; i < 3; i++)
        {
            await _mlflow.OkAsync("runs/create", $$"""{"experiment_id": "{{experimentId}}", "run_name": "r{{i}}", "start_time": {{1700000000000 + i}}}""");
        }

        var first = await _mlflow.OkAsync("runs/search", $$"""{"experiment_ids": ["{{experimentId}}"], "max_results": 2}""");
        var second = await _mlflow.OkAsync("runs/search",
            $$"""{"experiment_ids": ["{{experimentId}}"], "max_results": 2, "page_token": "{{(string)first["next_page_token"]!}}"}""");

        Assert.Equal(["r2", "r1"], first["runs"]!.AsArray().Select(r => (string)r!["info"]!["run_name"]!));
        Assert.All(first["runs"]!.AsArray(), r => Assert.False(r!["info"]!.AsObject().ContainsKey("end_time")));
        Assert.Equal("r0", (string)Assert.Single(second["runs"]!.AsArray())!["info"]!["run_name"]!);
        Assert.False(second.AsObject().ContainsKey("next_page_token"));
    }

    [Fact]
    public async Task GetHistory_SeriesOfSeveralStoreBatches_StreamsEveryPointInStepOrder()
    {
        // 2.5 batches of the endpoint's store reads, logged in shuffled order so the order comes from the store.
        const int Points = 5120;
        var runId = (string)(await _mlflow.OkAsync("runs/create", """{"experiment_id": "0", "run_name": "long"}"""))["run"]!["info"]!["run_id"]!;
        var steps = Enumerable.Range(0, Points).ToArray();
        new Random(3).Shuffle(steps);
        for (var start = 0; start < Points; start += 1000)
        {
            var metrics = new JsonArray();
            foreach (var step in steps.Skip(start).Take(1000))
            {
                metrics.Add(new JsonObject { ["key"] = "loss", ["value"] = Value(step), ["timestamp"] = 1700000000000 + step, ["step"] = step });
            }

            await _mlflow.OkAsync("runs/log-batch", new JsonObject { ["run_id"] = runId, ["metrics"] = metrics }.ToJsonString());
        }

        var (status, history) = await _mlflow.GetAsync($"metrics/get-history?run_id={runId}&metric_key=loss");

        Assert.Equal(HttpStatusCode.OK, status);
        var points = history["metrics"]!.AsArray();
        Assert.Equal(Points, points.Count);
        for (var i = 0; i < Points; i++)
        {
            var point = points[i]!;
            Assert.Equal("loss", (string)point["key"]!);
            Assert.Equal(i, (long)point["step"]!);
            Assert.Equal(1700000000000 + i, (long)point["timestamp"]!);
            Assert.Equal(Value(i), (double)point["value"]!);
        }
    }

    private static double Value(int step) => 1.0 / (step + 3);
}
