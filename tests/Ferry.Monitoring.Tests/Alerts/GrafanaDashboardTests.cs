using System.Text.Json;
using System.Text.RegularExpressions;
using Ferry.Monitoring.Tests.Server;
using Ferry.Tests;

namespace Ferry.Monitoring.Tests.Alerts;

/// <summary>Every metric the Grafana dashboard under deploy/ queries is exposed by a running server.</summary>
public sealed partial class GrafanaDashboardTests : IClassFixture<AlertServerFixture>
{
    private readonly AlertServerFixture _server;

    public GrafanaDashboardTests(AlertServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task EveryMetricTheDashboardQueries_IsExposed()
    {
        var path = Path.Combine(TestAssets.RepositoryRoot, "deploy", "grafana", "ferry-dashboard.json");
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var queried = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (!panel.TryGetProperty("targets", out var targets))
            {
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                foreach (Match m in MetricName().Matches(target.GetProperty("expr").GetString()!))
                {
                    queried.Add(m.Value);
                }
            }
        }

        Assert.Contains("ferry_request_duration_seconds_bucket", queried);
        Assert.Contains("system_runtime_dotnet_thread_pool_queue_length", queried);

        // Traffic that makes every labelled series exist: answers, a failure, an alert evaluation, a failed load.
        await _server.Http.InferClfAsync("dash-1", 1f, 0f);
        using (var bad = await _server.Http.PostAsync("/v2/models/clf/infer", new StringContent("""{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1, 2]}]}""")))
        {
            Assert.False(bad.IsSuccessStatusCode);
        }

        (await _server.Http.PostAsync("/api/v1/monitoring/alerts/evaluate", null)).Dispose();
        Directory.CreateDirectory(Path.Combine(_server.Repository, "broken", "1"));
        await File.WriteAllTextAsync(Path.Combine(_server.Repository, "broken", "1", "model.onnx"), "not a model");
        using (var load = await _server.Http.PostAsync("/v2/repository/models/broken/load", null))
        {
            Assert.False(load.IsSuccessStatusCode);
        }

        var exposed = (await _server.Http.GetStringAsync("/metrics"))
            .Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);
        var missing = queried.Where(q => !exposed.Contains(q)).ToArray();
        Assert.True(missing.Length == 0, $"the dashboard queries metrics /metrics does not expose: {string.Join(", ", missing)}");
    }

    /// <summary>Metric names as they appear in the dashboard's PromQL (functions and keywords are not in these families).</summary>
    [GeneratedRegex(@"\b(?:ferry|process|dotnet|system_runtime)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
