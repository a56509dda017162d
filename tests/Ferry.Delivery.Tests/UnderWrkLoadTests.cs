using Ferry.Delivery.Tests.Wrk;

namespace Ferry.Delivery.Tests;

/// <summary>
/// Acceptance 1 with the load generator the issue names: Debian's <c>wrk</c> (1 thread, 16 connections) drives the
/// deployment from another process while the test performs one phase; each phase is its own wrk run, so a failure
/// points at it. Time for the canary is the fake clock's; wrk is stopped with SIGINT once the phase is done.
/// </summary>
public sealed class UnderWrkLoadTests
{
    private const string Body = """{"inputs": [{"name": "x", "shape": [1], "datatype": "INT64", "data": [7]}]}""";

    [Fact]
    public async Task BlueGreenThenCanaryThenRollback_UnderWrk_NoRequestFailsAndBothVersionsAnswerInEachPhase()
    {
        var answered = new AnsweredRequests();
        var server = await DeliveryServer.StartNewAsync(configure: answered.AddTo);
        try
        {
            WrkRun.Binary();
            var blue = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var green = await server.Http.RegisterAsync("scorer", TestModels.Good());
            var canary = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            (await server.Http.CreateDeploymentAsync($$"""
                {"name": "pricing", "model": "scorer", "stable_version": {{blue}}, "strategy": "bluegreen"}
                """)).AssertOk();

            // Phase 1, blue/green: set the candidate, check it on the preview route, promote.
            var blueGreen = await RunAsync(server, answered, async () =>
            {
                (await server.Http.SetCandidateAsync("pricing", $$"""{"candidate_version": {{green}}}""")).AssertOk();
                Assert.Equal("preview", (await server.Http.StatusAsync("pricing")).AssertOk().Phase);
                Assert.Equal(green.ToString(), (await server.Http.InferAsync("pricing", 3, preview: true)).Version);
                await answered.ReachedAsync(300);
                Assert.Equal(green, (await server.Http.ActAsync("pricing", "promote")).AssertOk().Stable);
            });
            AssertClean(blueGreen, "blue/green", blue, green);

            // Phase 2, a full canary on the fake clock: 20/50/100 with timed pauses and an error-rate analysis each window.
            var canaryRun = await RunAsync(server, answered, async () =>
            {
                (await server.Http.SetCandidateAsync("pricing", $$$"""
                    {"candidate_version": {{{canary}}}, "strategy": "canary",
                     "steps": [{"set_weight": 20}, {"pause": {"duration": "00:00:10"}}, {"set_weight": 50}, {"pause": {"duration": "00:00:10"}},
                               {"set_weight": 100}, {"pause": {"duration": "00:00:10"}}],
                     "analysis": {"interval": "00:00:10", "checks": [{"metric": "error_rate", "fail_above": 0.0, "min_samples": 10}]}}
                    """)).AssertOk();
                for (var window = 0; window < 3; window++)
                {
                    Assert.Equal("progressing", (await server.Http.StatusAsync("pricing")).AssertOk().Phase);
                    await answered.ReachedAsync(300);
                    await server.AdvanceAsync();
                }

                var status = (await server.Http.StatusAsync("pricing")).AssertOk();
                Assert.Equal("stable", status.Phase);
                Assert.Equal(canary, status.Stable);
            });
            AssertClean(canaryRun, "canary", green, canary);
            var kinds = await server.Http.HistoryKindsAsync("pricing");
            Assert.Equal("promoted", kinds[^1]);
            Assert.Equal(3, kinds.Count(k => k == "analysis"));

            // Phase 3, rollback: back to the version before the canary, at once.
            var rollback = await RunAsync(server, answered, async () =>
            {
                Assert.Equal(green, (await server.Http.ActAsync("pricing", "rollback")).AssertOk().Stable);
            });
            AssertClean(rollback, "rollback", canary, green);
            Assert.Equal("rolled_back", (await server.Http.HistoryKindsAsync("pricing"))[^1]);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>Starts wrk, waits for load to flow, performs the phase, lets load flow on, stops wrk.</summary>
    private static async Task<WrkResult> RunAsync(DeliveryServer server, AnsweredRequests answered, Func<Task> phase)
    {
        await using var wrk = WrkRun.Start(server.HttpAddress, "pricing", Body);
        await answered.ReachedAsync(300);
        await phase();
        await answered.ReachedAsync(300);
        return await wrk.StopAsync();
    }

    private static void AssertClean(WrkResult run, string phase, long before, long after)
    {
        Assert.True(run.Requests >= 600, $"{phase}: {run}");
        Assert.True(run.Non2xx == 0 && run.SocketErrors == 0, $"{phase}: {run}\n{run.Output}");
        Assert.True(run.ByVersion.GetValueOrDefault(before.ToString()) > 0 && run.ByVersion.GetValueOrDefault(after.ToString()) > 0,
            $"{phase}: expected versions {before} and {after} to answer: {run}");
    }
}
