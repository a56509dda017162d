using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests.Batching;

public sealed class DynamicBatchingTests : IClassFixture<BatchingFixture>
{
    private readonly BatchingFixture _server;

    public DynamicBatchingTests(BatchingFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("batched")]
    [InlineData("batched_now")]
    public async Task Infer_ConcurrentRandomRequests_BatchedAnswersEqualUnbatchedAndExact(string model)
    {
        var random = new Random(20261125);
        var requests = Enumerable.Range(0, 160).Select(_ =>
        {
            var rows = random.Next(1, 4);
            var a = Enumerable.Range(0, rows * 3).Select(_ => (float)(random.NextDouble() * 200 - 100)).ToArray();
            var b = Enumerable.Range(0, rows * 3).Select(_ => (float)(random.NextDouble() * 200 - 100)).ToArray();
            return (Rows: rows, A: a, B: b);
        }).ToArray();

        var runsBefore = await BatchRunsAsync(model);
        using var gate = new SemaphoreSlim(0);
        var batched = requests.Select(async r =>
        {
            await gate.WaitAsync();
            return await InferAsync(model, r.Rows, r.A, r.B);
        }).ToArray();
        gate.Release(requests.Length);
        var batchedAnswers = await Task.WhenAll(batched);
        var plainAnswers = await Task.WhenAll(requests.Select(r => InferAsync("plain", r.Rows, r.A, r.B)));

        for (var i = 0; i < requests.Length; i++)
        {
            var expectedSum = requests[i].A.Zip(requests[i].B, (x, y) => x + y).ToArray();
            var expectedProduct = requests[i].A.Zip(requests[i].B, (x, y) => x * y).ToArray();
            Assert.Equal(expectedSum, batchedAnswers[i].Sum);
            Assert.Equal(expectedProduct, batchedAnswers[i].Product);
            Assert.Equal(plainAnswers[i].Sum, batchedAnswers[i].Sum);
            Assert.Equal(plainAnswers[i].Product, batchedAnswers[i].Product);
            Assert.Equal([requests[i].Rows, 3L], batchedAnswers[i].Shape);
        }

        // Batching happened: fewer runs than requests.
        var (runs, rows) = await BatchRunsAsync(model);
        Assert.Equal(requests.Sum(r => r.Rows), rows - runsBefore.Rows);
        Assert.True(runs - runsBefore.Runs < requests.Length, $"{runs - runsBefore.Runs} runs for {requests.Length} requests: nothing was batched");
    }

    [Fact]
    public async Task Infer_WithRequestsAskingDifferentOutputs_EachGetsWhatItAskedFor()
    {
        using var gate = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 24).Select(async i =>
        {
            await gate.WaitAsync();
            var output = i % 2 == 0 ? "sum" : "product";
            var body = $$"""
                {"inputs": [{"name": "a", "shape": [1, 3], "datatype": "FP32", "data": [{{i}}, 1, 2]},
                            {"name": "b", "shape": [1, 3], "datatype": "FP32", "data": [2, 2, 2]}],
                 "outputs": [{"name": "{{output}}"}]}
                """;
            using var response = await _server.Http.PostAsync("/v2/models/batched/infer", new StringContent(body, Encoding.UTF8, "application/json"));
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return (i, output, json);
        }).ToArray();
        gate.Release(tasks.Length);
        foreach (var (i, output, json) in await Task.WhenAll(tasks))
        {
            var only = Assert.Single(json["outputs"]!.AsArray())!;
            Assert.Equal(output, (string?)only["name"]);
            var expected = output == "sum" ? new float[] { i + 2, 3, 4 } : [i * 2, 2, 4];
            Assert.Equal(expected, only["data"]!.AsArray().Select(x => (float)x!));
        }
    }

    [Fact]
    public async Task Infer_WhenQueueIsFull_Answers429AndLosesOrMisroutesNothing()
    {
        const int requests = 24;
        // Every connection is open before any request is written, and the requests are written back to back, so they
        // arrive together however slowly a loaded machine opens connections (with HttpClient they could trickle in one
        // model run apart, and the queue of 2 never filled).
        var clients = new System.Net.Sockets.TcpClient[requests];
        try
        {
            for (var i = 0; i < requests; i++)
            {
                clients[i] = new System.Net.Sockets.TcpClient();
                await clients[i].ConnectAsync(_server.HttpAddress.Host, _server.HttpAddress.Port);
            }

            for (var i = 0; i < requests; i++)
            {
                var x = new float[BatchingFixture.SlowWidth];
                x[i] = i + 1;
                var body = "{\"id\": \"r" + i + "\", \"inputs\": [{\"name\": \"x\", \"shape\": [1, " + BatchingFixture.SlowWidth + "], \"datatype\": \"FP32\", \"data\": ["
                    + string.Join(",", x.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]}]}";
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = Encoding.ASCII.GetBytes(
                    $"POST /v2/models/slow/infer HTTP/1.1\r\nHost: ferry\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
                await clients[i].GetStream().WriteAsync(head.Concat(bytes).ToArray());
            }

            var answers = await Task.WhenAll(clients.Select(async (client, i) =>
            {
                // Connection: close, so the answer ends where the stream does.
                using var received = new MemoryStream();
                await client.GetStream().CopyToAsync(received);
                var text = Encoding.UTF8.GetString(received.ToArray());
                var status = (HttpStatusCode)int.Parse(text.Split(' ', 3)[1], CultureInfo.InvariantCulture);
                return (i, StatusCode: status, Json: JsonNode.Parse(text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!);
            }));
            var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
            var served = answers.Where(a => a.StatusCode == HttpStatusCode.OK).ToArray();
            Assert.Equal(requests, refused.Length + served.Length);
            Assert.NotEmpty(refused);
            Assert.NotEmpty(served);
            Assert.All(refused, a => Assert.Contains("queue is full", (string?)a.Json["error"]));
            foreach (var (i, _, json) in served)
            {
                Assert.Equal("r" + i, (string?)json["id"]);
                var y = json["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!).ToArray();
                Assert.Equal(i + 1, y[i]);
                Assert.Equal(i + 1, y.Sum());
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
        }
    }

    private async Task<(long[] Shape, float[] Sum, float[] Product)> InferAsync(string model, int rows, float[] a, float[] b)
    {
        var body = $$"""
            {"inputs": [{"name": "a", "shape": [{{rows}}, 3], "datatype": "FP32", "data": [{{Join(a)}}]},
                        {"name": "b", "shape": [{{rows}}, 3], "datatype": "FP32", "data": [{{Join(b)}}]}]}
            """;
        using var response = await _server.Http.PostAsync($"/v2/models/{model}/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var outputs = JsonNode.Parse(text)!["outputs"]!.AsArray();
        JsonNode Output(string name) => outputs.Single(o => (string?)o!["name"] == name)!;
        return (
            Output("sum")["shape"]!.AsArray().Select(x => (long)x!).ToArray(),
            Output("sum")["data"]!.AsArray().Select(x => (float)x!).ToArray(),
            Output("product")["data"]!.AsArray().Select(x => (float)x!).ToArray());
    }

    /// <summary>Runs and rows of a model so far, from the batch-size histogram in /metrics.</summary>
    private async Task<(long Runs, long Rows)> BatchRunsAsync(string model)
    {
        var text = await _server.Http.GetStringAsync("/metrics");
        long Read(string series) => text.Split('\n')
            .Where(l => l.StartsWith(series + "{", StringComparison.Ordinal) && l.Contains($"model=\"{model}\"", StringComparison.Ordinal))
            .Select(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .Sum();
        return (Read("ferry_batch_size_count"), Read("ferry_batch_size_sum"));
    }

    private static string Join(float[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
