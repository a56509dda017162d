using System.Net;

namespace Ferry.Delivery.Tests;

/// <summary>The control API refuses bad input with the field named, and calls the phase does not allow with 409; nothing changes.</summary>
public sealed class ManagementApiTests : IAsyncLifetime
{
    private DeliveryServer _server = null!;
    private long _v1;
    private long _v2;

    public async Task InitializeAsync()
    {
        _server = await DeliveryServer.StartNewAsync();
        _v1 = await _server.Http.RegisterAsync("scorer", TestModels.Stable());
        _v2 = await _server.Http.RegisterAsync("scorer", TestModels.Good());
    }

    public Task DisposeAsync() => _server.StopAsync();

    [Theory]
    [InlineData("""{"name": "scorer", "model": "scorer", "stable_version": 1, "strategy": "bluegreen"}""", HttpStatusCode.BadRequest, "'name': 'scorer' is already served as a model")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 150}]}""", HttpStatusCode.BadRequest, "'steps[0].set_weight' must be between 0 and 100")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 10, "pause": {}}]}""", HttpStatusCode.BadRequest, "'steps[0]' must hold exactly one of set_weight and pause")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary"}""", HttpStatusCode.BadRequest, "'steps' must hold at least one step")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "rainbow"}""", HttpStatusCode.BadRequest, "'strategy'")]
    [InlineData("""{"name": "d", "model": "scorer", "strategy": "bluegreen"}""", HttpStatusCode.BadRequest, "'stable_version' is required")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "shadow", "shadow_percent": 0}""", HttpStatusCode.BadRequest, "'shadow_percent'")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 10}], "analysis": {"checks": [{"metric": "error_rate", "fail_above": 0.1, "min_samples": 0}]}}""", HttpStatusCode.BadRequest, "'analysis.checks[0].min_samples' must be at least 1")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 10}], "analysis": {"checks": [{"metric": "accuracy", "fail_above": 0.1}]}}""", HttpStatusCode.BadRequest, "'analysis.checks[0].fail_above' does not apply to accuracy")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 10}], "analysis": {"checks": [{"metric": "accuracy"}]}}""", HttpStatusCode.BadRequest, "'analysis.checks[0].fail_below' is required for accuracy")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 10}], "analysis": {"checks": [{"metric": "accuracy", "fail_below": 0.9, "succeed_at_least": 0.5}]}}""", HttpStatusCode.BadRequest, "'analysis.checks[0].succeed_at_least' must be between fail_below")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 10}], "analysis": {"checks": [{"metric": "mae", "fail_below": 0.1}]}}""", HttpStatusCode.BadRequest, "'analysis.checks[0].fail_below' does not apply to mae")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 10}], "analysis": {"checks": [{"metric": "error_rate"}]}}""", HttpStatusCode.BadRequest, "'analysis.checks[0].fail_above' is required for error_rate")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "canary", "steps": [{"set_weight": 10}], "analysis": {"checks": [{"metric": "precision", "fail_below": 0.1}]}}""", HttpStatusCode.BadRequest, "'analysis.checks[0].metric'")]
    [InlineData("""{"name": "d", "model": "nope", "stable_version": 1, "strategy": "bluegreen"}""", HttpStatusCode.NotFound, "'model': no registered model named 'nope'")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 9, "strategy": "bluegreen"}""", HttpStatusCode.NotFound, "model 'scorer' has no version 9")]
    [InlineData("""{"name": "bad name!", "model": "scorer", "stable_version": 1, "strategy": "bluegreen"}""", HttpStatusCode.BadRequest, "'name' must be")]
    [InlineData("""{"name": "d", "model": "scorer", "stable_version": 1, "strategy": "bluegreen",""", HttpStatusCode.BadRequest, "is not valid")]
    public async Task Create_WithBadInput_IsRefusedNamingTheFieldAndCreatesNothing(string body, HttpStatusCode status, string fragment)
    {
        var answer = await _server.Http.CreateDeploymentAsync(body);

        answer.AssertProblem(status, fragment);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.StatusAsync("d")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.InferAsync("d", 1)).Status);
    }

    [Fact]
    public async Task Create_SameNameTwice_SecondIs409()
    {
        (await _server.Http.CreateDeploymentAsync($$"""{"name": "twice", "model": "scorer", "stable_version": {{_v1}}, "strategy": "bluegreen"}""")).AssertOk();

        (await _server.Http.CreateDeploymentAsync($$"""{"name": "twice", "model": "scorer", "stable_version": {{_v2}}, "strategy": "bluegreen"}"""))
            .AssertProblem(HttpStatusCode.Conflict, "already exists");
        Assert.Equal(_v1, (await _server.Http.StatusAsync("twice")).Stable);
    }

    [Fact]
    public async Task Actions_ThePhaseDoesNotAllow_Are409AndChangeNothing()
    {
        (await _server.Http.CreateDeploymentAsync($$"""{"name": "calm", "model": "scorer", "stable_version": {{_v1}}, "strategy": "canary", "steps": [{"set_weight": 10}]}""")).AssertOk();

        (await _server.Http.ActAsync("calm", "promote")).AssertProblem(HttpStatusCode.Conflict, "no candidate to promote");
        (await _server.Http.ActAsync("calm", "abort")).AssertProblem(HttpStatusCode.Conflict, "no rollout in progress");
        (await _server.Http.ActAsync("calm", "rollback")).AssertProblem(HttpStatusCode.Conflict, "no previous stable version");
        (await _server.Http.ActAsync("calm", "resume")).AssertProblem(HttpStatusCode.Conflict, "only a paused canary");
        (await _server.Http.SetCandidateAsync("calm", $$"""{"candidate_version": {{_v1}}}""")).AssertProblem(HttpStatusCode.BadRequest, "already the stable version");
        (await _server.Http.ActAsync("ghost", "promote")).AssertProblem(HttpStatusCode.NotFound, "no deployment named 'ghost'");
        Assert.Equal(["created"], await _server.Http.HistoryKindsAsync("calm"));
    }

    [Fact]
    public async Task Canary_PauseStepWithoutDuration_WaitsForResume_ThenRunsOn()
    {
        (await _server.Http.CreateDeploymentAsync($$$"""{"name": "gated", "model": "scorer", "stable_version": {{{_v1}}}, "strategy": "canary", "steps": [{"set_weight": 20}, {"pause": {}}, {"set_weight": 60}, {"pause": {"duration": "00:00:10"}}]}""")).AssertOk();
        var started = (await _server.Http.SetCandidateAsync("gated", $$"""{"candidate_version": {{_v2}}}""")).AssertOk();
        Assert.Equal("paused", started.Phase);

        await _server.AdvanceAsync(3);
        Assert.Equal("paused", (await _server.Http.StatusAsync("gated")).Phase);

        var resumed = (await _server.Http.ActAsync("gated", "resume")).AssertOk();
        Assert.Equal("progressing", resumed.Phase);
        Assert.Equal(60, resumed.Json!["deployment"]!["state"]!["candidate_weight"]!.GetValue<double>());
        (await _server.Http.ActAsync("gated", "pause")).AssertOk();
        await _server.AdvanceAsync(2);
        Assert.Equal("paused", (await _server.Http.StatusAsync("gated")).Phase);
        (await _server.Http.ActAsync("gated", "resume")).AssertOk();
        await _server.AdvanceAsync();

        Assert.Equal(_v2, (await _server.Http.StatusAsync("gated")).Stable);
    }

    [Fact]
    public async Task List_ShowsEveryDeployment()
    {
        (await _server.Http.CreateDeploymentAsync($$"""{"name": "listed", "model": "scorer", "stable_version": {{_v1}}, "strategy": "ab"}""")).AssertOk();

        using var response = await _server.Http.GetAsync("/api/v1/deployments");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"name\":\"listed\"", text, StringComparison.Ordinal);
    }
}
