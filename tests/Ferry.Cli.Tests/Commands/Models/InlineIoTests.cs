using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ferry.Tests;

namespace Ferry.Cli.Tests.Commands.Models;

/// <summary>
/// <c>ferry serve --inline-io</c> runs request handlers on the socket threads. Many connections at once, on a model
/// that batches (whose callers wait for a batch worker, off the socket thread) and one that does not, must still
/// each get their own answer.
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class InlineIoTests : IDisposable
{
    private const int Clients = 32;
    private const int RequestsPerClient = 40;

    private readonly string _home = Directory.CreateTempSubdirectory("ferry-inline-").FullName;
    private readonly string _repository = Directory.CreateTempSubdirectory("ferry-inline-repo-").FullName;

    [Theory]
    [InlineData("plain")]
    [InlineData("batched")]
    [InlineData("batched_now")]
    public async Task InlineIo_ManyConnectionsAtOnce_EachGetsItsOwnSum(string model)
    {
        OnnxModelBuilder.AddFloats().WriteTo(_repository, "plain");
        OnnxModelBuilder.AddFloats().WriteTo(_repository, "batched");
        File.WriteAllText(Path.Combine(_repository, "batched", "config.json"), """{"max_batch_size": 16, "dynamic_batching": {"max_queue_delay_microseconds": 500}}""");
        // No queue delay: callers wait for the lowest-priority runner, which writes their answers on its own thread.
        OnnxModelBuilder.AddFloats().WriteTo(_repository, "batched_now");
        File.WriteAllText(Path.Combine(_repository, "batched_now", "config.json"), """{"max_batch_size": 16, "dynamic_batching": {}}""");
        using var server = await ServeProcess.StartAsync(_home, _repository, "--inline-io");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };

        var wrong = 0;
        var answered = 0;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < RequestsPerClient; i++)
            {
                var a = (client * 1000) + i;
                var body = new JsonObject
                {
                    ["id"] = $"{client}-{i}",
                    ["inputs"] = new JsonArray(Input("a", a), Input("b", 0.5f)),
                };
                using var response = await http.PostAsJsonAsync($"/v2/models/{model}/infer", body);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                var sum = answer["outputs"]!.AsArray().Single(o => (string)o!["name"]! == "sum")!["data"]!.AsArray();
                if ((string)answer["id"]! != $"{client}-{i}" || sum.Any(v => (float)v! != a + 0.5f))
                {
                    Interlocked.Increment(ref wrong);
                }

                Interlocked.Increment(ref answered);
            }
        })));

        Assert.Equal(Clients * RequestsPerClient, answered);
        Assert.Equal(0, wrong);
    }

    public void Dispose()
    {
        foreach (var dir in new[] { _home, _repository })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A child process may still hold a file for a moment; the temp folder is cleaned later.
            }
        }
    }

    private static JsonObject Input(string name, float value) => new()
    {
        ["name"] = name,
        ["shape"] = new JsonArray(1, 4),
        ["datatype"] = "FP32",
        ["data"] = new JsonArray(value, value, value, value),
    };
}
