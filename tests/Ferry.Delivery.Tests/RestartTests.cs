using Microsoft.Extensions.Time.Testing;

namespace Ferry.Delivery.Tests;

/// <summary>The controller survives restarts: a canary stopped halfway resumes from the store in a new server.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Canary_ServerStoppedMidway_NewServerOnTheSameStoreRoutesAtOnceAndFinishesTheRollout()
    {
        var first = await DeliveryServer.StartNewAsync();
        DeliveryServer? second = null;
        try
        {
            var stable = await first.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await first.Http.RegisterAsync("scorer", TestModels.Good());
            (await first.Http.CreateDeploymentAsync($$$"""
                {"name": "loans", "model": "scorer", "stable_version": {{{stable}}}, "candidate_version": {{{candidate}}}, "strategy": "canary",
                 "steps": [{"set_weight": 50}, {"pause": {"duration": "00:00:20"}}, {"set_weight": 100}, {"pause": {"duration": "00:00:20"}}]}
                """)).AssertOk();
            await first.AdvanceAsync(); // 10 s into the 20 s pause
            var now = first.Time.GetUtcNow();
            await first.StopAsync(keepFolders: true);

            second = await DeliveryServer.StartNewAsync(first.StoreHome, new FakeTimeProvider(now));
            var resumed = (await second.Http.StatusAsync("loans")).AssertOk();
            Assert.Equal("progressing", resumed.Phase);
            var versions = new HashSet<string>();
            for (var i = 0; i < 100; i++)
            {
                var answer = await second.Http.InferAsync("loans", i % TestModels.Rows, key: "u" + i);
                Assert.True(answer.Ok, answer.Text);
                versions.Add(answer.Version!);
            }

            Assert.Equal([stable.ToString(), candidate.ToString()], versions.Order());

            await second.AdvanceAsync(); // the pause's 20 s are over: weight 100
            Assert.Equal(100, (await second.Http.StatusAsync("loans")).Json!["deployment"]!["state"]!["candidate_weight"]!.GetValue<double>());
            await second.AdvanceAsync(2);

            var done = (await second.Http.StatusAsync("loans")).AssertOk();
            Assert.Equal("stable", done.Phase);
            Assert.Equal(candidate, done.Stable);
            Assert.Equal(["created", "canary", "weight", "step", "weight", "step", "promoted"], await second.Http.HistoryKindsAsync("loans"));
        }
        finally
        {
            if (second is not null)
            {
                await second.StopAsync();
            }

            await first.DisposeAsync();
        }
    }
}
