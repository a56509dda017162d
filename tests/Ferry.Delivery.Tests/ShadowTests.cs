using Ferry.Delivery.Shadow;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Delivery.Tests;

/// <summary>Acceptance 4: a shadowed candidate that crashes or hangs never changes the caller's answer.</summary>
public sealed class ShadowTests
{
    [Fact]
    public async Task Shadow_CandidateThatFails_CallersGetStableAnswers_AndFailuresAreRecorded()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Crashing());
            (await server.Http.CreateDeploymentAsync($$"""
                {"name": "mirror", "model": "scorer", "stable_version": {{stable}}, "candidate_version": {{candidate}}, "strategy": "shadow"}
                """)).AssertOk();

            for (var x = 0; x < 50; x++)
            {
                var answer = await server.Http.InferAsync("mirror", x, key: "k" + x);
                Assert.True(answer.Ok, answer.Text);
                Assert.Equal(stable.ToString(), answer.Version);
                Assert.Equal(TestModels.StableAnswer(x), answer.Y);
            }

            var dispatcher = server.App.Services.GetRequiredService<ShadowDispatcher>();
            await dispatcher.WaitForProcessedAsync(50).WaitAsync(TimeSpan.FromSeconds(60));
            var shadow = (await server.Http.StatusAsync("mirror")).AssertOk().Json!["shadow"]!;
            Assert.Equal(50, shadow["enqueued"]!.GetValue<long>());
            Assert.Equal(49, shadow["errors"]!.GetValue<long>());
            Assert.Equal(1, shadow["compared"]!.GetValue<long>()); // index 0 is the one row the candidate has
            Assert.Equal(0, shadow["disagreement_rate"]!.GetValue<double>());
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Shadow_GoodCandidate_DisagreementAndDistanceAreMeasured()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Drifting());
            (await server.Http.CreateDeploymentAsync($$"""
                {"name": "mirror", "model": "scorer", "stable_version": {{stable}}, "candidate_version": {{candidate}}, "strategy": "shadow"}
                """)).AssertOk();

            for (var x = 0; x < 40; x++)
            {
                Assert.Equal(TestModels.StableAnswer(x), (await server.Http.InferAsync("mirror", x)).Y);
            }

            await server.App.Services.GetRequiredService<ShadowDispatcher>().WaitForProcessedAsync(40).WaitAsync(TimeSpan.FromSeconds(60));
            var shadow = (await server.Http.StatusAsync("mirror")).AssertOk().Json!["shadow"]!;
            Assert.Equal(40, shadow["compared"]!.GetValue<long>());
            Assert.Equal(1.0, shadow["disagreement_rate"]!.GetValue<double>());
            Assert.Equal(0.5, shadow["mean_distance"]!.GetValue<double>(), 4);
            Assert.True(shadow["candidate_p99_ms"]!.GetValue<double>() > 0);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Shadow_IdenticalCandidate_WhenTheCallerAsksForOneOutput_IsComparedOnThatOutputAndAgrees()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            // Two outputs, sum then product; the caller asks for the product only. The candidate must be asked for the
            // same output, or its first output (the sum) would be compared with the stable product.
            var model = Ferry.Tests.OnnxModelBuilder.AddFloats(width: 1).Build();
            var stable = await server.Http.RegisterAsync("pair", model);
            var candidate = await server.Http.RegisterAsync("pair", model);
            (await server.Http.CreateDeploymentAsync($$"""
                {"name": "twin", "model": "pair", "stable_version": {{stable}}, "candidate_version": {{candidate}}, "strategy": "shadow"}
                """)).AssertOk();

            for (var x = 1; x <= 10; x++)
            {
                var body = $$"""{"inputs": [{"name": "a", "datatype": "FP32", "shape": [1, 1], "data": [{{x}}]}, {"name": "b", "datatype": "FP32", "shape": [1, 1], "data": [3]}], "outputs": [{"name": "product"}]}""";
                using var response = await server.Http.PostAsync("/v2/models/twin/infer", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }

            await server.App.Services.GetRequiredService<ShadowDispatcher>().WaitForProcessedAsync(10).WaitAsync(TimeSpan.FromSeconds(60));
            var shadow = (await server.Http.StatusAsync("twin")).AssertOk().Json!["shadow"]!;
            Assert.Equal(10, shadow["compared"]!.GetValue<long>());
            Assert.Equal(0.0, shadow["disagreement_rate"]!.GetValue<double>());
            Assert.Equal(0.0, shadow["mean_distance"]!.GetValue<double>());
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Shadow_CandidateThatHangs_CallersGetStableAnswers_AndOverflowIsDroppedAndCounted()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Slow());
            (await server.Http.CreateDeploymentAsync($$"""
                {"name": "mirror", "model": "scorer", "stable_version": {{stable}}, "candidate_version": {{candidate}}, "strategy": "shadow"}
                """)).AssertOk();

            // More copies than the queue holds (64) while the candidate grinds through the first.
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async c =>
            {
                using var http = new HttpClient { BaseAddress = server.HttpAddress };
                var mine = new List<InferAnswer>();
                for (var x = 0; x < 50; x++)
                {
                    mine.Add(await http.InferAsync("mirror", x));
                }

                return mine;
            }));

            Assert.All(answers.SelectMany(a => a), a =>
            {
                Assert.True(a.Ok, a.Text);
                Assert.Equal(stable.ToString(), a.Version);
            });
            Assert.Equal(Enumerable.Range(0, 50).Select(TestModels.StableAnswer), answers[0].Select(a => a.Y!.Value));
            var shadow = (await server.Http.StatusAsync("mirror")).AssertOk().Json!["shadow"]!;
            Assert.True(shadow["dropped"]!.GetValue<long>() > 0, shadow.ToJsonString());
            Assert.Equal(200, shadow["dropped"]!.GetValue<long>() + shadow["enqueued"]!.GetValue<long>());
        }
        finally
        {
            await server.StopAsync();
        }
    }
}
