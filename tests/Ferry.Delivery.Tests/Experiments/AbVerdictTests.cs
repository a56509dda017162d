using System.Text.Json.Nodes;

namespace Ferry.Delivery.Tests.Experiments;

/// <summary>The A/B report carries the significance tests and a recommendation, through the real server.</summary>
public sealed class AbVerdictTests
{
    private static string Experiment(string name, long a, long b) => $$$"""
        {"name": "{{{name}}}", "model": "scorer", "stable_version": {{{a}}}, "candidate_version": {{{b}}}, "strategy": "ab", "candidate_weight": 50}
        """;

    [Fact]
    public async Task AbReport_CandidateFailingTwentyPercent_RecommendsStableOnErrorRateWithPValue()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var a = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var b = await server.Http.RegisterAsync("scorer", TestModels.FailsOnTwentyPercent());
            (await server.Http.CreateDeploymentAsync(Experiment("offers", a, b))).AssertOk();

            var early = (await server.Http.StatusAsync("offers")).AssertOk().Json!["verdict"]!;
            Assert.Equal("keep_collecting", early["decision"]!.GetValue<string>());
            Assert.Contains("100 requests first", early["explanation"]!.GetValue<string>());

            await SendAsync(server.Http, "offers", 1000);

            var status = (await server.Http.StatusAsync("offers")).AssertOk().Json!;
            var verdict = status["verdict"]!;
            Assert.Equal("winner", verdict["decision"]!.GetValue<string>());
            Assert.Equal("stable", verdict["recommended"]!.GetValue<string>());
            Assert.Equal(a, verdict["recommended_version"]!.GetValue<long>());
            Assert.Equal("error_rate", verdict["metric"]!.GetValue<string>());
            Assert.True(verdict["p_value"]!.GetValue<double>() < 1e-10, verdict.ToJsonString());
            Assert.Contains("p=", verdict["explanation"]!.GetValue<string>());
            var errors = Test(verdict, "error_rate");
            Assert.Equal("two-proportion z", errors["test"]!.GetValue<string>());
            Assert.InRange(errors["difference"]!.GetValue<double>(), 0.12, 0.28);
            Assert.True(errors["significant"]!.GetValue<bool>());
            Assert.Equal("Welch t", Test(verdict, "latency_mean")["test"]!.GetValue<string>());
            // The failing variant only answers indices below 80: its predictions differ from stable's.
            var distribution = Test(verdict, "prediction_distribution");
            Assert.Equal("chi-square homogeneity", distribution["test"]!.GetValue<string>());
            Assert.True(distribution["significant"]!.GetValue<bool>(), distribution.ToJsonString());
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task AbReport_EqualVariants_KeepsCollectingWithTheClosestCall()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var a = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var b = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            (await server.Http.CreateDeploymentAsync(Experiment("same", a, b))).AssertOk();

            await SendAsync(server.Http, "same", 1000);

            var verdict = (await server.Http.StatusAsync("same")).AssertOk().Json!["verdict"]!;
            Assert.Equal("keep_collecting", verdict["decision"]!.GetValue<string>());
            Assert.Null(verdict["recommended"]);
            Assert.NotNull(verdict["p_value"]);
            var errors = Test(verdict, "error_rate");
            Assert.Equal(0, errors["difference"]!.GetValue<double>());
            Assert.False(errors["significant"]!.GetValue<bool>());
            Assert.False(Test(verdict, "prediction_distribution")["significant"]!.GetValue<bool>(), verdict.ToJsonString());
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>Fixed keys (user-0, user-1...) and indices: the split, and so every figure, is the same on every run.</summary>
    private static async Task SendAsync(HttpClient http, string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await http.InferAsync(name, i % TestModels.Rows, key: "user-" + i);
        }
    }

    private static JsonNode Test(JsonNode verdict, string metric) =>
        verdict["tests"]!.AsArray().Single(t => t!["metric"]!.GetValue<string>() == metric)!;
}
