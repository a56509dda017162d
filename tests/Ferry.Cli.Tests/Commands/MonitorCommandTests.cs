using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands;
using Ferry.Monitoring.Alerts;
using Ferry.Monitoring.Log;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Cli.Tests.Commands;

/// <summary>
/// <c>ferry monitor</c> and <c>ferry logs</c> against a real server with auth on: they send the token, print to the
/// command's output (tables or JSON), and turn an unreachable server, a refusal or a bad option into a message and
/// exit code 1 instead of a stack trace.
/// </summary>
public sealed class MonitorCommandTests(MonitorCommandTests.Server server) : IClassFixture<MonitorCommandTests.Server>
{
    [Fact]
    public async Task Drift_WithAToken_ShowsEachFeature_AsATableAndAsJson()
    {
        var token = await server.ReaderTokenAsync();
        var reference = await server.LoggedAndReferenceAsync();

        var table = (await Run("monitor", "drift", "fare", "--reference", reference, "--server", server.Address, "--token", token)).AssertOk();
        Assert.Matches(@"│ km\s+│ numeric\s+│", table.Output);
        Assert.Contains("dataset drift:", table.Output, StringComparison.Ordinal);

        var json = JsonNode.Parse((await Run("monitor", "drift", "fare", "--reference", reference, "-o", "json", "--server", server.Address, "--token", token)).AssertOk().Output)!;
        Assert.Equal("km", (string?)json["features"]![0]!["feature"]);
    }

    [Fact]
    public async Task Drift_WithoutAToken_IsRefused_WithExitCode1()
    {
        var reference = await server.LoggedAndReferenceAsync();

        var run = await Run("monitor", "drift", "fare", "--reference", reference, "--server", server.Address);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("401", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_ListTheRules_AndExit3WhileOneFires_WithTheFiringInTheHistory()
    {
        var token = await server.ReaderTokenAsync();
        var listed = (await Run("monitor", "alerts", "--server", server.Address, "--token", token)).AssertOk();
        Assert.Matches(@"│ fare-p99\s+│ fare\s+│ latency p99", listed.Output);

        // Logged requests have a latency above 0 ms: evaluated, the rule fires.
        await server.LoggedAndReferenceAsync();
        using (var evaluate = new HttpRequestMessage(HttpMethod.Post, "/api/v1/monitoring/alerts/evaluate"))
        {
            evaluate.Headers.Authorization = new("Bearer", await server.WriterTokenAsync());
            using var evaluated = await server.Http.SendAsync(evaluate);
            Assert.True(evaluated.IsSuccessStatusCode, await evaluated.Content.ReadAsStringAsync());
        }

        var firing = await Run("monitor", "alerts", "--server", server.Address, "--token", token);
        Assert.Equal(3, firing.ExitCode);
        Assert.Contains("1 rules, 1 firing", firing.Output, StringComparison.Ordinal);
        var history = (await Run("monitor", "alerts", "--history", "--server", server.Address, "--token", token)).AssertOk();
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(history.Output, @"│ \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z\s+│ fare-p99\s+│ firing"), history.Output);
    }

    [Theory]
    [InlineData("monitor", "drift", "fare", "--reference", "training")]
    [InlineData("monitor", "alerts")]
    [InlineData("logs", "tail", "fare")]
    public async Task UnreachableServer_SaysSo_WithExitCode1(params string[] args)
    {
        var run = await Run([.. args, "--server", "http://127.0.0.1:1"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("ferry: cannot reach the server at http://127.0.0.1:1/", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_PrintsTheLoggedPredictions_UntilCancelled()
    {
        var token = await server.ReaderTokenAsync();
        await server.LoggedAndReferenceAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tail = FerryCommands.Build().Parse(["logs", "tail", "fare", "--interval", "1s", "--server", server.Address, "--token", token])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, stop.Token);
        while (!stop.IsCancellationRequested && !output.ToString().Contains("Score.output=", StringComparison.Ordinal))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await tail);
        Assert.Contains("km=", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Score.output=", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task Export_WithABadTime_SaysWhichOption_WithExitCode1()
    {
        var run = await Run("logs", "export", "fare", "-o", Path.Combine(server.Home, "out.parquet"), "--from", "yesterday", "--log-dir", Path.Combine(server.Home, "predictions"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--from: 'yesterday' is not a time", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ToAnUnknownFormat_IsRefused_WithExitCode1()
    {
        var output = Path.Combine(server.Home, "out.txt");

        var run = await Run("logs", "export", "fare", "-o", output, "--log-dir", Path.Combine(server.Home, "predictions"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("must end in .parquet or .csv", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private static Task<Models.CliRun> Run(params string[] args) => Models.Ferry.RunAsync(args);

    /// <summary>A server with auth on and <c>fare</c> (outputs as ML.NET exports them: km passed through, then 2 km as Score.output).</summary>
    public sealed class Server : Models.CliRegistryServer
    {
        private readonly SemaphoreSlim _once = new(1, 1);
        private string? _reader;
        private string? _writer;
        private string? _reference;

        public string Address => HttpAddress.ToString();

        public async Task<string> ReaderTokenAsync() => _reader ??= await CreateTokenAsync("watcher", "reader");

        public async Task<string> WriterTokenAsync() => _writer ??= await CreateTokenAsync("evaluator", "writer");

        private async Task<string> CreateTokenAsync(string name, string role)
        {
            await _once.WaitAsync();
            try
            {
                var created = (await Models.Ferry.RunAsync("tokens", "create", "--name", name + "-" + Guid.NewGuid().ToString("N")[..8], "--role", role, "--home", Home, "--output", "json")).AssertOk();
                return (string)JsonNode.Parse(created.Output)!["token"]!;
            }
            finally
            {
                _once.Release();
            }
        }

        /// <summary>Sends 60 trips once (logged and sealed) and writes a reference CSV of the same distances; its path.</summary>
        public async Task<string> LoggedAndReferenceAsync()
        {
            await _once.WaitAsync();
            try
            {
                if (_reference is null)
                {
                    for (var i = 0; i < 60; i++)
                    {
                        using var answer = await Http.PostAsJsonAsync("/v2/models/fare/infer", new
                        {
                            id = "trip-" + i.ToString(CultureInfo.InvariantCulture),
                            inputs = new[] { new { name = "km", datatype = "FP32", shape = new[] { 1, 1 }, data = new[] { 1f + (i % 20) } } },
                        });
                        answer.EnsureSuccessStatusCode();
                    }

                    await App.Services.GetRequiredService<PredictionLogWriter>().FlushAsync(seal: true, CancellationToken.None);
                    var path = Path.Combine(Home, "reference.csv");
                    await File.WriteAllLinesAsync(path, ["km", .. Enumerable.Range(0, 200).Select(i => (1 + (i % 20)).ToString(CultureInfo.InvariantCulture))]);
                    _reference = path;
                }

                return _reference;
            }
            finally
            {
                _once.Release();
            }
        }

        protected override void ConfigureServer(WebApplicationBuilder builder)
        {
            base.ConfigureServer(builder);
            // Fires once anything is logged: every request takes more than 0 ms.
            builder.Services.Configure<AlertOptions>(o => o.Rules.Add(new AlertRule
            {
                Name = "fare-p99", Model = "fare", Kind = AlertKinds.Latency, Metric = "p99", Threshold = 0, Window = TimeSpan.FromDays(1), MinSamples = 1,
            }));
        }

        protected override void WriteModels(string repository)
        {
            OnnxModelBuilder.PassThroughThenScore().WriteTo(repository, "fare");
        }
    }
}
