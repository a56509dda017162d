using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Delivery.Tests;

/// <summary>
/// Realised accuracy and error in canary analysis: ground-truth labels posted later by request id are joined to the
/// predictions each version answered. Too few labels keeps the rollout waiting (never promotes); enough labels
/// decide, with the numbers in the history. Time is the fake clock's.
/// </summary>
public sealed class RealisedAccuracyTests
{
    private static string Canary(string name, long stable, long candidate, string check) => $$$"""
        {
          "name": "{{{name}}}", "model": "scorer", "stable_version": {{{stable}}}, "candidate_version": {{{candidate}}},
          "strategy": "canary",
          "steps": [{"set_weight": 50}, {"pause": {"duration": "00:00:20"}}],
          "analysis": {"interval": "00:00:10", "checks": [{"metric": "error_rate", "fail_above": 0.01, "min_samples": 50}, {{{check}}}]}
        }
        """;

    [Fact]
    public async Task Canary_CandidateWithWrongPredictions_WaitsForLabels_ThenIsAbortedOnItsRealisedAccuracy()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Classifier());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.WrongClassifier());
            (await server.Http.CreateDeploymentAsync(Canary("churn", stable, candidate,
                """{"metric": "accuracy", "fail_below": 0.9, "min_samples": 50}"""))).AssertOk();

            var sent = await SendWithIdsAsync(server.Http, "churn", "a", 400);
            Assert.All(sent, s => Assert.True(s.Answer.Ok, s.Answer.Text));

            // No labels yet: every window waits, and the steps run out without promoting.
            await server.AdvanceAsync(3);
            var waiting = (await server.Http.StatusAsync("churn")).AssertOk();
            Assert.Equal("progressing", waiting.Phase);
            Assert.Equal(stable, waiting.Stable);
            Assert.Contains("waiting for enough labelled predictions", waiting.Json!["deployment"]!["state"]!["reason"]!.GetValue<string>());
            Assert.Equal("too_few_samples", Check(await LastAnalysisAsync(server.Http, "churn"), "accuracy")["outcome"]!.GetValue<string>());

            await server.Http.PostLabelsAsync(sent.Select(s => (s.Id, (double)TestModels.TrueClass(s.X))));
            await server.AdvanceAsync();

            var status = (await server.Http.StatusAsync("churn")).AssertOk();
            Assert.Equal("aborted", status.Phase);
            Assert.Equal(stable, status.Stable);
            var analysis = await LastAnalysisAsync(server.Http, "churn");
            Assert.Equal("abort", analysis["decision"]!.GetValue<string>());
            var accuracy = Check(analysis, "accuracy");
            Assert.Equal("failure", accuracy["outcome"]!.GetValue<string>());
            var candidateAnswers = sent.Count(s => s.Answer.Version == candidate.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(candidateAnswers, accuracy["candidate_samples"]!.GetValue<long>());
            Assert.Equal(400 - candidateAnswers, accuracy["stable_samples"]!.GetValue<long>());
            var expected = sent.Where(s => s.Answer.Version == candidate.ToString(CultureInfo.InvariantCulture))
                .Average(s => s.Answer.Y == TestModels.TrueClass(s.X) ? 1.0 : 0.0);
            Assert.Equal(expected, accuracy["value"]!.GetValue<double>(), 9);
            Assert.InRange(accuracy["value"]!.GetValue<double>(), 0.5, 0.7);
            Assert.Equal(1.0, accuracy["stable_value"]!.GetValue<double>());
            Assert.Equal(0.9, accuracy["fail_below"]!.GetValue<double>());
            Assert.Contains("accuracy failed", status.Json!["deployment"]!["state"]!["reason"]!.GetValue<string>());
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Canary_RightCandidate_TooFewLabelsKeepsWaiting_EnoughLabelsPromote()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.WrongClassifier());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Classifier());
            (await server.Http.CreateDeploymentAsync(Canary("ranker", stable, candidate,
                """{"metric": "accuracy", "fail_below": 0.9, "succeed_at_least": 0.95, "min_samples": 50}"""))).AssertOk();

            var sent = await SendWithIdsAsync(server.Http, "ranker", "b", 400);

            // Labels for 40 requests only: about 20 of them the candidate's, under min_samples 50.
            await server.Http.PostLabelsAsync(sent.Take(40).Select(s => (s.Id, (double)TestModels.TrueClass(s.X))));
            await server.AdvanceAsync(3);
            var waiting = (await server.Http.StatusAsync("ranker")).AssertOk();
            Assert.Equal("progressing", waiting.Phase);
            Assert.Equal(stable, waiting.Stable);
            var tooFew = Check(await LastAnalysisAsync(server.Http, "ranker"), "accuracy");
            Assert.Equal("too_few_samples", tooFew["outcome"]!.GetValue<string>());
            Assert.InRange(tooFew["candidate_samples"]!.GetValue<long>(), 1, 49);
            Assert.Equal("wait", (await LastAnalysisAsync(server.Http, "ranker"))["decision"]!.GetValue<string>());

            await server.Http.PostLabelsAsync(sent.Skip(40).Select(s => (s.Id, (double)TestModels.TrueClass(s.X))));
            await server.AdvanceAsync();

            var status = (await server.Http.StatusAsync("ranker")).AssertOk();
            Assert.Equal("stable", status.Phase);
            Assert.Equal(candidate, status.Stable);
            var accuracy = Check(await LastAnalysisAsync(server.Http, "ranker"), "accuracy");
            Assert.Equal("success", accuracy["outcome"]!.GetValue<string>());
            Assert.Equal(1.0, accuracy["value"]!.GetValue<double>());
            Assert.InRange(accuracy["stable_value"]!.GetValue<double>(), 0.5, 0.7);
            Assert.Equal("promoted", (await server.Http.HistoryKindsAsync("ranker"))[^1]);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Canary_RegressionCandidateOffByHalf_IsAbortedOnItsRealisedMae()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            var candidate = await server.Http.RegisterAsync("scorer", TestModels.Drifting());
            (await server.Http.CreateDeploymentAsync(Canary("prices", stable, candidate,
                """{"metric": "mae", "fail_above": 0.1, "min_samples": 50}"""))).AssertOk();

            var sent = await SendWithIdsAsync(server.Http, "prices", "c", 300);
            await server.Http.PostLabelsAsync(sent.Select(s => (s.Id, (double)TestModels.StableAnswer(s.X))));
            await server.AdvanceAsync();

            Assert.Equal("aborted", (await server.Http.StatusAsync("prices")).AssertOk().Phase);
            var mae = Check(await LastAnalysisAsync(server.Http, "prices"), "mae");
            Assert.Equal("failure", mae["outcome"]!.GetValue<string>());
            Assert.Equal(0.5, mae["value"]!.GetValue<double>(), 4);
            Assert.Equal(0.0, mae["stable_value"]!.GetValue<double>(), 6);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>Sends requests with protocol ids <c>{prefix}{i}</c> (also the assignment key) and indices spread over the table.</summary>
    private static async Task<List<(string Id, int X, InferAnswer Answer)>> SendWithIdsAsync(HttpClient http, string name, string prefix, int count)
    {
        var sent = new List<(string, int, InferAnswer)>(count);
        for (var i = 0; i < count; i++)
        {
            var id = prefix + i.ToString(CultureInfo.InvariantCulture);
            var x = i % TestModels.Rows;
            sent.Add((id, x, await http.InferAsync(name, x, key: id, id: id)));
        }

        return sent;
    }

    private static JsonNode Check(JsonNode analysis, string name) =>
        analysis["checks"]!.AsArray().Single(c => c!["check"]!.GetValue<string>() == name)!;

    private static async Task<JsonNode> LastAnalysisAsync(HttpClient http, string name)
    {
        var history = await http.HistoryAsync(name);
        return history.Last(e => e!["kind"]!.GetValue<string>() == "analysis")!["detail"]!;
    }
}
