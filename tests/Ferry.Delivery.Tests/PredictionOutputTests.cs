using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ferry.Delivery.Shadow;
using Ferry.Examples;
using Ferry.Server.Grpc.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ferry.Delivery.Tests;

/// <summary>
/// A deployment follows its model's prediction, not its first output. ML.NET's ONNX export (the example fare model
/// here, trained for real) answers the inputs passed through first — <c>distance_km.output</c> — and <c>Score.output</c>
/// last; the live prediction statistics and the shadow comparison must follow the score.
/// </summary>
public sealed class PredictionOutputTests
{
    private static readonly Lazy<(byte[] Stable, byte[] Candidate)> Models = new(() => (Export(FareModel.Train().Model), Export(FareModel.Train(trainRows: 300, seed: 7).Model)));

    /// <summary>Trips with different distances, so that following an input would be visible.</summary>
    private static readonly (float Km, float Minutes, float Passengers)[] Trips =
        Enumerable.Range(0, 30).Select(i => (1.5f + (i * 0.7f), 5f + (i * 1.3f), (float)(1 + (i % 4)))).ToArray();

    [Theory]
    [InlineData("Score.output", new[] { "distance_km.output", "duration_min.output", "passengers.output", "Features.output", "mlnet.Features.unusedOutput", "Score.output" })]
    [InlineData("PredictedLabel.output", new[] { "distance_km.output", "Features.output", "PredictedLabel.output", "Score.output", "Probability.output" })]
    [InlineData("output_label", new[] { "output_label", "output_probability" })]
    [InlineData("variable", new[] { "variable" })]
    [InlineData("y", new[] { "distance_km", "y" })]
    [InlineData("prediction", new[] { "embedding", "prediction" })]
    [InlineData("distance_km.output", new[] { "distance_km.output" })]
    public void Pick_FindsThePrediction(string expected, string[] outputs)
    {
        var index = PredictionOutputs.Pick(outputs, ["distance_km", "duration_min", "passengers"]);
        Assert.Equal(expected, outputs[index]);
    }

    [Fact]
    public void Pick_NoOutputs_IsMinusOne() => Assert.Equal(-1, PredictionOutputs.Pick([], ["x"]));

    [Fact]
    public async Task Ab_OnMlNetModels_PredictionMeanIsTheMeanScoreEachVersionAnswered()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var (stable, candidate) = await DeployAsync(server, """ "strategy": "ab", "candidate_weight": 50 """);

            var scores = new Dictionary<long, List<double>> { [stable] = [], [candidate] = [] };
            for (var i = 0; i < Trips.Length; i++)
            {
                var (version, score) = await InferAsync(server.Http, "fares", Trips[i], key: "rider" + i);
                scores[version].Add(score);
            }

            await AssertPredictionMeansAsync(server, scores);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Ab_OverGrpc_PredictionMeanIsTheMeanScoreEachVersionAnswered()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var (stable, candidate) = await DeployAsync(server, """ "strategy": "ab", "candidate_weight": 50 """);
            using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
            var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

            var scores = new Dictionary<long, List<double>> { [stable] = [], [candidate] = [] };
            for (var i = 0; i < Trips.Length; i++)
            {
                var request = new ModelInferRequest { ModelName = "fares" };
                foreach (var (name, value) in new[] { ("distance_km", Trips[i].Km), ("duration_min", Trips[i].Minutes), ("passengers", Trips[i].Passengers) })
                {
                    var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "FP32", Contents = new InferTensorContents() };
                    input.Shape.Add(1);
                    input.Shape.Add(1);
                    input.Contents.Fp32Contents.Add(value);
                    request.Inputs.Add(input);
                }

                var response = await client.ModelInferAsync(request, new Metadata { { "x-ferry-key", "rider" + i } });
                var score = response.Outputs.Single(o => o.Name == "Score.output").Contents.Fp32Contents[0];
                scores[long.Parse(response.ModelVersion, CultureInfo.InvariantCulture)].Add(score);
            }

            await AssertPredictionMeansAsync(server, scores);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Shadow_OnMlNetModels_ComparesTheScores()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var (stable, _) = await DeployAsync(server, """ "strategy": "shadow" """);

            var stableScores = new List<double>();
            foreach (var trip in Trips)
            {
                var (version, score) = await InferAsync(server.Http, "fares", trip);
                Assert.Equal(stable, version);
                stableScores.Add(score);
            }

            // The candidate's own scores for the same trips, from ONNX Runtime in this process.
            var candidateScores = Score(Models.Value.Candidate, Trips);
            await server.App.Services.GetRequiredService<ShadowDispatcher>().WaitForProcessedAsync(Trips.Length).WaitAsync(TimeSpan.FromSeconds(60));
            var shadow = (await server.Http.StatusAsync("fares")).AssertOk().Json!["shadow"]!;
            Assert.Equal(Trips.Length, shadow["compared"]!.GetValue<long>());
            var expected = stableScores.Zip(candidateScores, (s, c) => Math.Abs(s - c)).Average();
            Assert.True(expected > 0.01, $"the two models should score differently; mean distance {expected}");
            Assert.Equal(expected, shadow["mean_distance"]!.GetValue<double>(), 3);
            Assert.True(shadow["disagreement_rate"]!.GetValue<double>() > 0);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>Registers the two fare models and deploys them as <c>fares</c> with the given strategy fields.</summary>
    private static async Task<(long Stable, long Candidate)> DeployAsync(DeliveryServer server, string strategy)
    {
        var stable = await server.Http.RegisterAsync("fare", Models.Value.Stable);
        var candidate = await server.Http.RegisterAsync("fare", Models.Value.Candidate);
        (await server.Http.CreateDeploymentAsync($$"""
            {"name": "fares", "model": "fare", "stable_version": {{stable}}, "candidate_version": {{candidate}}, {{strategy}}}
            """)).AssertOk();
        return (stable, candidate);
    }

    /// <summary>Each variant's requests and prediction mean are those of the scores its version answered.</summary>
    private static async Task AssertPredictionMeansAsync(DeliveryServer server, Dictionary<long, List<double>> scores)
    {
        Assert.All(scores.Values, s => Assert.NotEmpty(s));
        foreach (var variant in (await server.Http.StatusAsync("fares")).AssertOk().Json!["variants"]!.AsArray())
        {
            var version = variant!["version"]!.GetValue<long>();
            Assert.Equal(scores[version].Count, variant["requests"]!.GetValue<long>());
            Assert.Equal(scores[version].Average(), variant["prediction_mean"]!.GetValue<double>(), 4);
        }
    }

    private static async Task<(long Version, double Score)> InferAsync(HttpClient http, string name, (float Km, float Minutes, float Passengers) trip, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{name}/infer")
        {
            Content = JsonContent.Create(new
            {
                inputs = new[]
                {
                    new { name = "distance_km", shape = new[] { 1, 1 }, datatype = "FP32", data = new[] { trip.Km } },
                    new { name = "duration_min", shape = new[] { 1, 1 }, datatype = "FP32", data = new[] { trip.Minutes } },
                    new { name = "passengers", shape = new[] { 1, 1 }, datatype = "FP32", data = new[] { trip.Passengers } },
                },
            }),
        };
        if (key is not null)
        {
            request.Headers.Add("x-ferry-key", key);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var json = JsonNode.Parse(text)!;
        var score = json["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "Score.output")!["data"]![0]!.GetValue<double>();
        return (long.Parse(json["model_version"]!.GetValue<string>(), CultureInfo.InvariantCulture), score);
    }

    private static double[] Score(byte[] onnx, IReadOnlyList<(float Km, float Minutes, float Passengers)> trips)
    {
        using var session = new InferenceSession(onnx);
        return trips.Select(t =>
        {
            var inputs = new[]
            {
                NamedOnnxValue.CreateFromTensor("distance_km", new DenseTensor<float>(new[] { t.Km }, [1, 1])),
                NamedOnnxValue.CreateFromTensor("duration_min", new DenseTensor<float>(new[] { t.Minutes }, [1, 1])),
                NamedOnnxValue.CreateFromTensor("passengers", new DenseTensor<float>(new[] { t.Passengers }, [1, 1])),
            };
            using var results = session.Run(inputs, ["Score.output"]);
            return (double)results.First().AsTensor<float>()[0, 0];
        }).ToArray();
    }

    private static byte[] Export(Microsoft.ML.ITransformer model)
    {
        using var stream = new MemoryStream();
        FareModel.ExportOnnx(model, stream);
        return stream.ToArray();
    }
}
