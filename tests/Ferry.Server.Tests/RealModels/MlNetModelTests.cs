using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Examples;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Server.Tests.RealModels;

/// <summary>
/// ML.NET FastTree models exported to ONNX: the server's JSON answer equals ONNX Runtime's in-process answer, and
/// that equals ML.NET's own prediction.
/// </summary>
[Collection(RealModelsCollection.Name)]
public sealed class MlNetModelTests
{
    private const string Score = "Score.output";

    private readonly RealModelsFixture _server;

    public MlNetModelTests(RealModelsFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Infer_SeattleHeldOutDays_EqualsOnnxRuntimeAndMlNet()
    {
        var seattle = _server.Seattle;
        var inputs = SeattleTempModel.Features.ToDictionary(f => f, f => Column(seattle.TestColumn(f)));
        var mlNet = seattle.PredictTest();
        Assert.True(mlNet.Length > 200, $"only {mlNet.Length} held-out days");

        await AssertServerEqualsOnnxRuntimeEqualsMlNetAsync(RealModelsFixture.SeattleTemp, inputs, mlNet);
    }

    [Fact]
    public async Task Infer_ExampleFareModel_EqualsOnnxRuntimeAndMlNet()
    {
        var trips = TaxiTrips.Generate(300, seed: 99);
        var inputs = new Dictionary<string, (long[] Shape, float[] Data)>
        {
            ["distance_km"] = Column(trips.Select(t => t.DistanceKm).ToArray()),
            ["duration_min"] = Column(trips.Select(t => t.DurationMin).ToArray()),
            ["passengers"] = Column(trips.Select(t => t.Passengers).ToArray()),
        };
        var ml = new MLContext();
        var mlNet = _server.Fare.Transform(ml.Data.LoadFromEnumerable(trips)).GetColumn<float>("Score").ToArray();

        await AssertServerEqualsOnnxRuntimeEqualsMlNetAsync(RealModelsFixture.Example, inputs, mlNet);
    }

    private async Task AssertServerEqualsOnnxRuntimeEqualsMlNetAsync(string model, Dictionary<string, (long[] Shape, float[] Data)> inputs, float[] mlNet)
    {
        var onnx = OnnxReference.Run(_server.ModelPath(model), inputs)[Score];
        Assert.Equal([mlNet.Length, 1L], onnx.Shape);
        AssertClose(mlNet, onnx.AsFloats());

        var (status, answer) = await PostJsonAsync(model, inputs);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {answer.ToJsonString()}");
        var output = Assert.Single(answer["outputs"]!.AsArray())!;
        Assert.Equal(Score, (string?)output["name"]);
        Assert.Equal("FP32", (string?)output["datatype"]);
        Assert.Equal(onnx.Shape, output["shape"]!.AsArray().Select(d => (long)d!));
        Assert.Equal(onnx.AsFloats(), output["data"]!.AsArray().Select(d => (float)d!).ToArray());
    }

    /// <summary>
    /// ML.NET adds up the trees' outputs in double and rounds once; ONNX Runtime's TreeEnsembleRegressor adds in
    /// float, so the two differ in the last bits (measured: under 1e-6 relative over 100 trees). 1e-5 relative
    /// allows for that rounding and nothing else: a wrong tree or a swapped feature moves scores by whole units.
    /// </summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = 1e-5f * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"row {i}: ML.NET {expected[i]:R}, ONNX Runtime {actual[i]:R}");
        }
    }

    private static (long[] Shape, float[] Data) Column(float[] values) => ([values.Length, 1], values);

    private async Task<(HttpStatusCode Status, JsonNode Answer)> PostJsonAsync(string model, Dictionary<string, (long[] Shape, float[] Data)> inputs)
    {
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)new JsonObject
            {
                ["name"] = i.Key,
                ["shape"] = new JsonArray(i.Value.Shape.Select(d => (JsonNode)d).ToArray()),
                ["datatype"] = "FP32",
                ["data"] = new JsonArray(i.Value.Data.Select(v => (JsonNode)v).ToArray()),
            }).ToArray()),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = Score }),
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _server.Http.PostAsync($"/v2/models/{model}/infer", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }
}
