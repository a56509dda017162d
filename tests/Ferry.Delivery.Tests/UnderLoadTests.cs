namespace Ferry.Delivery.Tests;

/// <summary>Acceptance 1: a blue/green switch, a full canary and a rollback, each under concurrent load, with no failed request.</summary>
public sealed class UnderLoadTests
{
    [Fact]
    public async Task BlueGreen_PreviewSwitchAndRollbackUnderLoad_NoRequestFails()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var blue = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var green = await server.Http.RegisterAsync("scorer", TestModels.Good());
            (await server.Http.CreateDeploymentAsync($$"""
                {"name": "pricing", "model": "scorer", "stable_version": {{blue}}, "candidate_version": {{green}}, "strategy": "bluegreen"}
                """)).AssertOk();

            await using (var load = new LoadLoops(server.HttpAddress, "pricing"))
            {
                await load.ReachedAsync(200);

                // The candidate answers on the preview route only, and the main route stays on blue.
                Assert.Equal(green.ToString(), (await server.Http.InferAsync("pricing", 3, preview: true)).Version);
                Assert.Equal(green.ToString(), (await server.Http.InferAsync("pricing-preview", 3)).Version);
                Assert.Equal(blue.ToString(), (await server.Http.InferAsync("pricing", 3, key: "k")).Version);
                Assert.Equal("preview", (await server.Http.StatusAsync("pricing")).AssertOk().Phase);

                var promoted = (await server.Http.ActAsync("pricing", "promote")).AssertOk();
                Assert.Equal(green, promoted.Stable);
                Assert.Equal(green.ToString(), (await server.Http.InferAsync("pricing", 3, key: "k")).Version);
                await load.ReachedAsync(200);

                var rolledBack = (await server.Http.ActAsync("pricing", "rollback")).AssertOk();
                Assert.Equal(blue, rolledBack.Stable);
                Assert.Equal(blue.ToString(), (await server.Http.InferAsync("pricing", 3, key: "k")).Version);
                await load.ReachedAsync(200);

                await load.DisposeAsync();
                Assert.Empty(load.Failures);
                Assert.True(load.ByVersion.ContainsKey(blue.ToString()) && load.ByVersion.ContainsKey(green.ToString()), string.Join(", ", load.ByVersion));
            }

            Assert.Equal(["created", "preview", "promoted", "rolled_back"], await server.Http.HistoryKindsAsync("pricing"));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Canary_AllStepsUnderLoad_PromotesWithNoFailedRequest()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Good());
            (await server.Http.CreateDeploymentAsync($$$"""
                {
                  "name": "search", "model": "scorer", "stable_version": {{{stable}}}, "candidate_version": {{{candidate}}}, "strategy": "canary",
                  "steps": [{"set_weight": 25}, {"pause": {"duration": "00:00:10"}}, {"set_weight": 75}, {"pause": {"duration": "00:00:10"}}],
                  "analysis": {"interval": "00:00:10", "checks": [{"metric": "error_rate", "fail_above": 0.0, "min_samples": 10}]}
                }
                """)).AssertOk();

            await using (var load = new LoadLoops(server.HttpAddress, "search"))
            {
                await load.ReachedAsync(300);
                await server.AdvanceAsync();
                Assert.Equal(75, (await server.Http.StatusAsync("search")).AssertOk().Json!["deployment"]!["state"]!["candidate_weight"]!.GetValue<double>());
                await load.ReachedAsync(300);
                await server.AdvanceAsync();
                Assert.Equal("stable", (await server.Http.StatusAsync("search")).AssertOk().Phase);
                await load.ReachedAsync(200);

                await load.DisposeAsync();
                Assert.Empty(load.Failures);
                Assert.True(load.ByVersion.ContainsKey(stable.ToString()) && load.ByVersion.ContainsKey(candidate.ToString()), string.Join(", ", load.ByVersion));
            }

            var kinds = await server.Http.HistoryKindsAsync("search");
            Assert.Equal(["created", "canary", "weight", "analysis", "step", "weight", "analysis", "step", "promoted"], kinds);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Canary_AbortUnderLoad_SendsEveryRequestBackToStableWithNoFailure()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Good());
            (await server.Http.CreateDeploymentAsync($$$"""
                {"name": "ads", "model": "scorer", "stable_version": {{{stable}}}, "candidate_version": {{{candidate}}}, "strategy": "canary",
                 "steps": [{"set_weight": 50}, {"pause": {}}]}
                """)).AssertOk();
            Assert.Equal("paused", (await server.Http.StatusAsync("ads")).AssertOk().Phase);

            await using (var load = new LoadLoops(server.HttpAddress, "ads"))
            {
                await load.ReachedAsync(200);
                Assert.Equal("aborted", (await server.Http.ActAsync("ads", "rollback")).AssertOk().Phase);
                var before = load.ByVersion.GetValueOrDefault(candidate.ToString());
                await load.ReachedAsync(50); // requests routed by the old table finish
                var settled = load.ByVersion.GetValueOrDefault(candidate.ToString());
                await load.ReachedAsync(200);

                await load.DisposeAsync();
                Assert.Empty(load.Failures);
                Assert.True(before > 0);
                Assert.Equal(settled, load.ByVersion.GetValueOrDefault(candidate.ToString()));
            }
        }
        finally
        {
            await server.StopAsync();
        }
    }
}
