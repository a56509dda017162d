using System.Globalization;
using System.Text;
using Ferry.Delivery;
using Ferry.Cli.Tests.Commands.Models;
using Ferry.Delivery.Control;
using Ferry.Server.Registry;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Cli.Tests.Commands.Deploy;

/// <summary><c>ferry deploy status</c> shows the latest canary analysis, realised accuracy included; the server's clock is fake.</summary>
public sealed class DeployAnalysisStatusTests : IAsyncLifetime
{
    private readonly FakeClockServer _server = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("ferry-cli-analysis-").FullName;

    public Task InitializeAsync() => _server.StartWithRegistryAsync();

    public async Task DisposeAsync()
    {
        await _server.StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Status_AfterAnAnalysisWithLabels_ShowsTheAccuracyCheckWithItsNumbers()
    {
        string[] api = ["--server", _server.HttpAddress.ToString()];
        var file = OnnxModelBuilder.AddFloats(1).WriteTo(_folder, "adder", 1);
        (await Run(["models", "register", file, "--name", "adder", .. api])).AssertOk();
        (await Run(["models", "register", file, "--name", "adder", .. api])).AssertOk();
        (await Run(["deploy", "create", "sums", "--model", "adder", "--stable", "1", "--candidate", "2", "--strategy", "canary",
            "--steps", "50,pause:1m", "--check", "accuracy:0.9:5", "--analysis-interval", "10s", .. api])).AssertOk();

        var labels = new StringBuilder("[");
        for (var i = 0; i < 40; i++)
        {
            var id = "r" + i.ToString(CultureInfo.InvariantCulture);
            var body = $$"""{"id": "{{id}}", "inputs": [{"name": "a", "shape": [1, 1], "datatype": "FP32", "data": [{{i}}]}, {"name": "b", "shape": [1, 1], "datatype": "FP32", "data": [1]}]}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/sums/infer") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("x-ferry-key", id);
            using var response = await _server.Http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            labels.Append(i == 0 ? "" : ",").Append($$"""{"request_id": "{{id}}", "label": {{i + 1}}}""");
        }

        using (var posted = await _server.Http.PostAsync("/api/v1/monitoring/labels", new StringContent(labels.Append(']').ToString(), Encoding.UTF8, "application/json")))
        {
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        await _server.AdvanceAsync();

        var shown = (await Run(["deploy", "status", "sums", .. api])).AssertOk();
        Assert.Contains("latest analysis", shown.Output, StringComparison.Ordinal);
        Assert.Contains("accuracy", shown.Output, StringComparison.Ordinal);
        Assert.Contains("success", shown.Output, StringComparison.Ordinal);
        Assert.Contains("< 0.9", shown.Output, StringComparison.Ordinal);
        var json = JsonNode(await Run(["deploy", "status", "sums", "--output", "json", .. api]));
        var check = json["deployment"]!["state"]!["last_analysis"]![0]!;
        Assert.Equal(1.0, (double?)check["value"]);
        Assert.InRange((long)check["candidate_samples"]!, 5, 39);
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(CliRun run) => System.Text.Json.Nodes.JsonNode.Parse(run.AssertOk().Output)!;

    private static Task<CliRun> Run(string[] args) => Ferry.Cli.Tests.Commands.Models.Ferry.RunAsync(args);

    /// <summary>A server with the registry and deployments (no auth) whose clock the test moves.</summary>
    private sealed class FakeClockServer : FerryServerFixture
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        private readonly RegistryOptions _options = new();
        private RegistryBackend? _backend;

        public async Task StartWithRegistryAsync()
        {
            _backend = await RegistryBackend.OpenAsync(Home, _options, null, CancellationToken.None);
            await StartAsync();
        }

        /// <summary>One controller interval on the fake clock, waiting for the controller's tick: no sleep.</summary>
        public async Task AdvanceAsync()
        {
            var controller = App.Services.GetRequiredService<DeploymentController>();
            var done = controller.CompletedTicks;
            _time.Advance(Interval);
            await controller.WaitForTickAsync(done + 1).WaitAsync(TimeSpan.FromSeconds(60));
        }

        public async Task StopAsync()
        {
            await DisposeHostAsync();
            if (_backend is not null)
            {
                await _backend.DisposeAsync();
            }

            await DisposeAsync();
        }

        protected override void ConfigureServer(WebApplicationBuilder builder)
        {
            builder.Services.AddSingleton<TimeProvider>(_time);
            builder.Services.Replace(ServiceDescriptor.Singleton(new DeliveryOptions { ControllerInterval = Interval }));
            builder.Services.AddFerryRegistry(_backend!, _options);
        }
    }
}
