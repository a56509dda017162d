using System.Net.Http.Json;
using System.Text;
using Ferry.Server.Grpc.Protocol;
using Grpc.Net.Client;

namespace Ferry.Monitoring.Tests.Server;

[Collection(MonitoringCollection.Name)]
public sealed class PredictionLogServerTests
{
    private readonly MonitoringServerFixture _server;

    public PredictionLogServerTests(MonitoringServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task RestRequests_AreLogged_OneRowPerBatchRow_AndQueryable()
    {
        await _server.Http.InferClfAsync("log-rest-1", 0.25f, 0.75f);
        await _server.Writer.FlushAsync(seal: false, CancellationToken.None);

        var rows = await _server.Http.GetJsonAsync("/api/v1/monitoring/predictions?model=clf&version=1&limit=10000");

        var mine = rows.EnumerateArray().Where(r => r.GetProperty("request_id").GetString() == "log-rest-1").ToArray();
        Assert.Equal([0, 1], mine.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal([0.25, 0.75], mine.Select(r => r.GetProperty("inputs").GetProperty("x").GetDouble()));
        Assert.Equal([0.25, 0.75], mine.Select(r => r.GetProperty("outputs").GetProperty("y").GetDouble()));
        Assert.All(mine, r => Assert.Equal("ok", r.GetProperty("status").GetString()));
        Assert.All(mine, r => Assert.Equal("1", r.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task WideTensors_AreFlattenedPerElement()
    {
        var body = """{"id": "log-wide", "inputs": [{"name": "a", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]}, {"name": "b", "datatype": "FP32", "shape": [1, 4], "data": [10, 20, 30, 40]}]}""";
        using (var response = await _server.Http.PostAsync("/v2/models/add/infer", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            response.EnsureSuccessStatusCode();
        }

        await _server.Writer.FlushAsync(seal: false, CancellationToken.None);
        var rows = await _server.Http.GetJsonAsync("/api/v1/monitoring/predictions?model=add");

        var row = rows.EnumerateArray().Single(r => r.GetProperty("request_id").GetString() == "log-wide");
        Assert.Equal(4, row.GetProperty("inputs").GetProperty("a[3]").GetDouble());
        Assert.Equal(44, row.GetProperty("outputs").GetProperty("sum[3]").GetDouble());
        Assert.Equal(160, row.GetProperty("outputs").GetProperty("product[3]").GetDouble());
    }

    [Fact]
    public async Task RequestsWithoutId_GetDistinctMadeUpIds_FromOneProcessPrefixAndACounter()
    {
        // Values no other test sends, to find these rows among the shared server's.
        await PostWithoutIdAsync("[2, 1]", "0.3125, 0.5625");
        await PostWithoutIdAsync("[1, 1]", "0.4375");
        await _server.Writer.FlushAsync(seal: false, CancellationToken.None);

        var rows = await _server.Http.GetJsonAsync("/api/v1/monitoring/predictions?model=clf&version=1&limit=10000");
        string IdOf(double x) => rows.EnumerateArray().Single(r => r.GetProperty("inputs").GetProperty("x").GetDouble() == x).GetProperty("request_id").GetString()!;
        var first = IdOf(0.3125);
        var second = IdOf(0.4375);

        Assert.Equal(first, IdOf(0.5625));
        Assert.NotEqual(first, second);
        Assert.All([first, second], id => Assert.Matches("^[0-9a-f]{32}$", id));
        // Not Guid.NewGuid (a read of /dev/urandom per request on Linux, most of what logging cost): the same 16-digit
        // process prefix, then a sequence number that grows.
        Assert.Equal(first[..16], second[..16]);
        Assert.True(ulong.Parse(second[16..], System.Globalization.NumberStyles.HexNumber) > ulong.Parse(first[16..], System.Globalization.NumberStyles.HexNumber));
    }

    [Fact]
    public async Task GrpcRequests_AreLoggedWithTheirId()
    {
        using var channel = GrpcChannel.ForAddress(_server.GrpcAddress);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var request = new ModelInferRequest { ModelName = "clf", Id = "log-grpc-1" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Shape = { 1, 1 } };
        input.Contents = new InferTensorContents { Fp32Contents = { 0.5f } };
        request.Inputs.Add(input);
        await client.ModelInferAsync(request);
        await _server.Writer.FlushAsync(seal: false, CancellationToken.None);

        var rows = await _server.Http.GetJsonAsync("/api/v1/monitoring/predictions?model=clf&limit=10000");

        Assert.Contains(rows.EnumerateArray(), r => r.GetProperty("request_id").GetString() == "log-grpc-1" && r.GetProperty("inputs").GetProperty("x").GetDouble() == 0.5);
    }

    [Fact]
    public async Task FullChannel_DropsAndCounts_WhileInferenceAnswers()
    {
        var before = await _server.Http.CounterAsync("ferry_prediction_log_dropped_total");
        // Holding the gate stops the writer draining, so the 4-slot channel fills and stays full.
        await _server.Gate.Lock.WaitAsync();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                await _server.Http.InferClfAsync($"drop-{i}", 1f);
            }
        }
        finally
        {
            _server.Gate.Lock.Release();
        }

        var after = await _server.Http.CounterAsync("ferry_prediction_log_dropped_total");
        Assert.True(after - before >= 6, $"dropped {after - before} of 10 with 4 slots");
    }

    [Fact]
    public async Task Predictions_WithoutModel_Is400ProblemDetails()
    {
        using var response = await _server.Http.GetAsync("/api/v1/monitoring/predictions");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("model", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("detail").GetString());
    }

    private async Task PostWithoutIdAsync(string shape, string data)
    {
        var body = $$"""{"inputs": [{"name": "x", "datatype": "FP32", "shape": {{shape}}, "data": [{{data}}]}]}""";
        using var response = await _server.Http.PostAsync("/v2/models/clf/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }
}

[CollectionDefinition(Name)]
public sealed class MonitoringCollection : ICollectionFixture<MonitoringServerFixture>
{
    public const string Name = "monitoring";
}
