using Ferry.Server.Grpc.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Ferry.Delivery.Tests;

/// <summary>gRPC reaches a deployment as model_name, with the key in metadata; the answer names the version that answered.</summary>
public sealed class GrpcRoutingTests
{
    [Fact]
    public async Task ModelInfer_OnADeployment_RoutesByMetadataKeyAndSaysWhichVersionAnswered()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var a = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var b = await server.Http.RegisterAsync("scorer", TestModels.Good());
            (await server.Http.CreateDeploymentAsync($$"""
                {"name": "grpc-ab", "model": "scorer", "stable_version": {{a}}, "candidate_version": {{b}}, "strategy": "ab", "candidate_weight": 50}
                """)).AssertOk();
            using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
            var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

            var seen = new HashSet<string>();
            for (var u = 0; u < 20; u++)
            {
                string? first = null;
                for (var i = 0; i < 5; i++)
                {
                    var request = new ModelInferRequest { ModelName = "grpc-ab" };
                    var input = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "INT64", Contents = new InferTensorContents() };
                    input.Shape.Add(1);
                    input.Contents.Int64Contents.Add(7);
                    request.Inputs.Add(input);
                    using var call = client.ModelInferAsync(request, new Metadata { { "x-ferry-key", "user" + u } });
                    var response = await call;
                    var trailer = call.GetTrailers().GetValue("x-ferry-model-version");

                    Assert.Equal(response.ModelVersion, trailer);
                    Assert.Equal("grpc-ab", response.ModelName);
                    first ??= response.ModelVersion;
                    Assert.Equal(first, response.ModelVersion);
                }

                seen.Add(first!);
            }

            Assert.Equal([a.ToString(), b.ToString()], seen.Order());
        }
        finally
        {
            await server.StopAsync();
        }
    }
}
