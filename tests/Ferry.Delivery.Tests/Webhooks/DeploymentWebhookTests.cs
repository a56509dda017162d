using Ferry.Tests;
using System.Text.Json.Nodes;
using Ferry.Monitoring.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Delivery.Tests.Webhooks;

/// <summary>Every transition goes out as a signed <c>deployment.KIND</c> webhook, with the decision's numbers.</summary>
public sealed class DeploymentWebhookTests
{
    private const string Secret = "deploy-hooks-secret";

    [Fact]
    public async Task CanaryAbort_PostsSignedDeploymentAbortedEventWithTheAnalysisNumbers()
    {
        await using var hooks = await WebhookReceiver.StartAsync(Secret, _ => 200);
        var server = await DeliveryServer.StartNewAsync(configure: b => b.Services.Configure<WebhookOptions>(
            o => o.Endpoints.Add(new WebhookEndpoint { Url = hooks.Url, Secret = Secret, Events = ["deployment.*"] })));
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.FailsOnFivePercent());
            (await server.Http.CreateDeploymentAsync($$$"""
                {
                  "name": "fraud", "model": "scorer", "stable_version": {{{stable}}}, "candidate_version": {{{candidate}}},
                  "strategy": "canary", "steps": [{"set_weight": 50}, {"pause": {"duration": "00:00:20"}}],
                  "analysis": {"interval": "00:00:10", "checks": [{"metric": "error_rate", "fail_above": 0.01, "min_samples": 100}]}
                }
                """)).AssertOk();

            Assert.Equal("deployment.created", (await hooks.NextAsync()).Event);
            await CanaryAnalysisTests.SendAsync(server.Http, "fraud", 1000);
            await server.AdvanceAsync();
            Assert.Equal("aborted", (await server.Http.StatusAsync("fraud")).AssertOk().Phase);

            var received = new List<WebhookReceiver.Received>();
            while (received.Count == 0 || received[^1].Event != "deployment.aborted")
            {
                received.Add(await hooks.NextAsync());
            }

            Assert.All(received, r => Assert.True(r.SignatureValid, r.Event));
            var kinds = received.Select(r => r.Event).ToArray();
            Assert.Contains("deployment.analysis", kinds);
            var analysis = JsonNode.Parse(received.First(r => r.Event == "deployment.analysis").Body)!["data"]!;
            Assert.Equal("abort", analysis["detail"]!["decision"]!.GetValue<string>());
            Assert.InRange(analysis["detail"]!["checks"]![0]!["value"]!.GetValue<double>(), 0.02, 0.09);

            var aborted = JsonNode.Parse(received[^1].Body)!;
            Assert.Equal("deployment.aborted", aborted["type"]!.GetValue<string>());
            var data = aborted["data"]!;
            Assert.Equal("fraud", data["deployment"]!.GetValue<string>());
            Assert.Equal("scorer", data["model"]!.GetValue<string>());
            Assert.Equal("aborted", data["phase"]!.GetValue<string>());
            Assert.Equal(stable, data["stable_version"]!.GetValue<long>());
            Assert.Equal(candidate, data["candidate_version"]!.GetValue<long>());
            Assert.Equal("controller", data["actor"]!.GetValue<string>());
            Assert.Contains("aborted", data["message"]!.GetValue<string>());
        }
        finally
        {
            await server.StopAsync();
        }
    }
}
