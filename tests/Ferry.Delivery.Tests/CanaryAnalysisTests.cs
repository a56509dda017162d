using System.Text.Json.Nodes;

namespace Ferry.Delivery.Tests;

/// <summary>Acceptance 2: analysis aborts a failing or drifting candidate within one window and promotes a good one, with the evidence in the history.</summary>
public sealed class CanaryAnalysisTests
{
    private static string Canary(string name, long stable, long candidate, string checks) => $$$"""
        {
          "name": "{{{name}}}", "model": "scorer", "stable_version": {{{stable}}}, "candidate_version": {{{candidate}}},
          "strategy": "canary",
          "steps": [{"set_weight": 50}, {"pause": {"duration": "00:00:20"}}],
          "analysis": {"interval": "00:00:10", "checks": [{{{checks}}}]}
        }
        """;

    [Fact]
    public async Task Canary_CandidateFailingFivePercent_IsAbortedAtTheFirstWindowWithTheErrorRateInHistory()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.FailsOnFivePercent());
            (await server.Http.CreateDeploymentAsync(Canary("fraud", stable, candidate,
                """{"metric": "error_rate", "fail_above": 0.01, "min_samples": 100}"""))).AssertOk();

            var answers = await SendAsync(server.Http, "fraud", 1000);
            await server.AdvanceAsync();

            var status = (await server.Http.StatusAsync("fraud")).AssertOk();
            Assert.Equal("aborted", status.Phase);
            var candidateFailures = answers.Count(a => !a.Ok);
            Assert.InRange(candidateFailures, 5, 60);
            var analysis = await LastAnalysisAsync(server.Http, "fraud");
            Assert.Equal("abort", analysis["decision"]!.GetValue<string>());
            var check = analysis["checks"]![0]!;
            Assert.Equal("failure", check["outcome"]!.GetValue<string>());
            Assert.InRange(check["value"]!.GetValue<double>(), 0.02, 0.09);
            Assert.Contains("aborted", await server.Http.HistoryKindsAsync("fraud"));

            // All traffic is back on the stable version, and none of it fails.
            var after = await SendAsync(server.Http, "fraud", 200);
            Assert.All(after, a => Assert.True(a.Ok && a.Version == stable.ToString(), a.Text));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Canary_CandidateWhosePredictionsDrift_IsAbortedWithTheDriftStatisticInHistory()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Drifting());
            (await server.Http.CreateDeploymentAsync(Canary("churn", stable, candidate,
                """{"metric": "error_rate", "fail_above": 0.01, "min_samples": 100}, {"metric": "prediction_drift", "fail_above": 0.2, "min_samples": 100}"""))).AssertOk();

            var answers = await SendAsync(server.Http, "churn", 600);
            await server.AdvanceAsync();

            Assert.All(answers, a => Assert.True(a.Ok, a.Text));
            var status = (await server.Http.StatusAsync("churn")).AssertOk();
            Assert.Equal("aborted", status.Phase);
            var analysis = await LastAnalysisAsync(server.Http, "churn");
            var checks = analysis["checks"]!.AsArray();
            Assert.Equal("success", checks[0]!["outcome"]!.GetValue<string>());
            Assert.Equal("failure", checks[1]!["outcome"]!.GetValue<string>());
            Assert.True(checks[1]!["value"]!.GetValue<double>() > 0.3, checks[1]!.ToJsonString());
            Assert.True(checks[1]!["p_value"]!.GetValue<double>() < 0.001, checks[1]!.ToJsonString());
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Canary_GoodCandidate_PassesEveryWindowAndIsPromoted()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Good());
            (await server.Http.CreateDeploymentAsync(Canary("ranker", stable, candidate,
                """{"metric": "error_rate", "fail_above": 0.01, "min_samples": 100}, {"metric": "prediction_drift", "fail_above": 0.2, "min_samples": 100}"""))).AssertOk();

            await SendAsync(server.Http, "ranker", 400);
            await server.AdvanceAsync();
            Assert.Equal("progressing", (await server.Http.StatusAsync("ranker")).AssertOk().Phase);
            await SendAsync(server.Http, "ranker", 400);
            await server.AdvanceAsync();

            var status = (await server.Http.StatusAsync("ranker")).AssertOk();
            Assert.Equal("stable", status.Phase);
            Assert.Equal(candidate, status.Stable);
            var history = await server.Http.HistoryAsync("ranker");
            var analyses = history.Where(e => e!["kind"]!.GetValue<string>() == "analysis").ToArray();
            Assert.Equal(2, analyses.Length);
            Assert.All(analyses, a => Assert.Equal("continue", a!["detail"]!["decision"]!.GetValue<string>()));
            Assert.Equal("promoted", history[^1]!["kind"]!.GetValue<string>());
            var after = await SendAsync(server.Http, "ranker", 50);
            Assert.All(after, a => Assert.Equal(candidate.ToString(), a.Version));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>Sends <paramref name="count"/> requests with fresh keys and indices spread evenly over the table.</summary>
    internal static async Task<List<InferAnswer>> SendAsync(HttpClient http, string name, int count)
    {
        var answers = new List<InferAnswer>(count);
        for (var i = 0; i < count; i++)
        {
            answers.Add(await http.InferAsync(name, i % TestModels.Rows, key: Guid.NewGuid().ToString("N")));
        }

        return answers;
    }

    private static async Task<JsonNode> LastAnalysisAsync(HttpClient http, string name)
    {
        var history = await http.HistoryAsync(name);
        return history.Last(e => e!["kind"]!.GetValue<string>() == "analysis")!["detail"]!;
    }
}
