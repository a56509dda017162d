using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ferry.Bench.Tracking;
using Ferry.Inference;
using Ferry.Server;
using Ferry.Server.Hosting;
using Ferry.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

// Loads RUNS x POINTS metric points (plus one run of HISTORY points) straight into the store, analyzes it, starts
// the real server on it and measures, over HTTP on 127.0.0.1, runs/search with metric filters and the streamed
// metrics/get-history against experiments/get as the reference. Usage:
//   ferry-bench-tracking [--runs 1000] [--points 1000] [--history 200000] [--queries 300] [--postgres CONNECTION] [--folder DIR]
var options = ArgsOf(args);
var runs = Int("runs", 1000);
var pointsPerRun = Int("points", 1000);
var historyPoints = Int("history", 200_000);
var queries = Int("queries", 300);
var folder = options.GetValueOrDefault("folder") ?? Directory.CreateTempSubdirectory("ferry-bench-tracking-").FullName;
const double GoalMs = 50;

var stores = new List<(string Name, string? Store)> { ("sqlite", null) };
if (options.TryGetValue("postgres", out var postgres))
{
    stores.Add(("postgresql", postgres));
}

var rows = new List<string>();
var notes = new List<string>();
var worstSearchP99 = 0.0;
foreach (var (storeName, storeSpec) in stores)
{
    var home = Path.Combine(folder, storeName);
    Directory.CreateDirectory(home);
    await using var store = await MetadataStores.OpenAsync(storeSpec, home, null, CancellationToken.None);
    var fill = Stopwatch.StartNew();
    var (experimentId, historyRun) = await Filler.FillAsync(store, runs, pointsPerRun, historyPoints, CancellationToken.None);
    await store.AnalyzeAsync(CancellationToken.None);
    notes.Add($"{storeName}: loaded {(long)runs * pointsPerRun + historyPoints:N0} metric points ({runs:N0} runs x {pointsPerRun:N0} + one run of {historyPoints:N0}) in {fill.Elapsed.TotalSeconds:F0} s");

    var repository = Directory.CreateTempSubdirectory("ferry-bench-repo-").FullName;
    var server = new ServerOptions { Host = "127.0.0.1", HttpPort = 0, GrpcPort = -1, Home = home };
    var app = FerryHost.Create(server, new InferenceOptions { ModelRepositories = [repository], IntraOpThreads = 1 },
        builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.Replace(ServiceDescriptor.Singleton(store));
        });
    await app.StartAsync();
    try
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{FerryHost.BoundPorts(app)[0]}"), Timeout = TimeSpan.FromMinutes(5) };
        var id = experimentId.ToString(CultureInfo.InvariantCulture);
        var reference = await TimeAsync(queries, () => http.GetAsync($"/api/2.0/mlflow/experiments/get?experiment_id={id}"));
        rows.Add(Row(storeName, "experiments/get (reference)", reference, reference, "-"));

        foreach (var (label, body) in new[]
        {
            ("search loss<0.5 & lr, by loss", $$"""{"experiment_ids": ["{{id}}"], "filter": "metrics.loss < 0.5 AND params.lr = '0.01'", "order_by": ["metrics.loss ASC"], "max_results": 100}"""),
            ("search loss<0.5 & tag, by start", $$"""{"experiment_ids": ["{{id}}"], "filter": "metrics.loss < 0.5 AND tags.stage = 'dev'", "order_by": ["attributes.start_time DESC"], "max_results": 100}"""),
            ("search accuracy>0.9, by accuracy", $$"""{"experiment_ids": ["{{id}}"], "filter": "metrics.accuracy > 0.9", "order_by": ["metrics.accuracy DESC"], "max_results": 100}"""),
        })
        {
            var found = 0;
            var timings = await TimeAsync(queries, async () =>
            {
                var response = await http.PostAsync("/api/2.0/mlflow/runs/search", new StringContent(body, Encoding.UTF8, "application/json"));
                return response;
            }, text => found = CountRuns(text));
            worstSearchP99 = Math.Max(worstSearchP99, timings.P99);
            rows.Add(Row(storeName, label, timings, reference, found.ToString(CultureInfo.InvariantCulture)));
        }

        // The history of one long run, read through a fixed buffer so the client holds nothing either.
        var small = await HistoryAsync(http, historyRun, 5);
        rows.Add(Row(storeName, $"get-history {historyPoints:N0} points", small.Timings, reference, historyPoints.ToString("N0", CultureInfo.InvariantCulture)));
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{storeName}: get-history of {historyPoints:N0} points: {small.Bytes / 1e6:F1} MB per response, {small.Bytes / small.Timings.P50 / 1e3:F0} MB/s at p50; " +
            $"allocated {small.AllocatedPerCall / 1e6:F1} MB per call in the process ({small.AllocatedPerCall / (double)historyPoints:F0} B/point, server and client), " +
            $"peak RSS {small.PeakBefore / 1e6:F0} MB before the first call -> {small.PeakAfter / 1e6:F0} MB after 5 calls (+{(small.PeakAfter - small.PeakBefore) / 1e6:F1} MB vs {small.Bytes / 1e6:F1} MB streamed each)"));
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(repository, true);
    }
}

Console.WriteLine($"MLflow tracking API over HTTP (127.0.0.1, one caller), {queries} calls per row after {queries / 10} warm-up calls; goal: search p99 < {GoalMs} ms");
Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()} (on {Environment.ProcessorCount} cores)");
Console.WriteLine();
Console.WriteLine($"| {"store",-10} | {"call",-34} | {"rows",7} | {"p50 ms",7} | {"p99 ms",7} | {"cpu ms",6} | {"p50 / ref",9} | {"p99 / ref",9} |");
Console.WriteLine($"| {new string('-', 10)} | {new string('-', 34)} | {new string('-', 7)} | {new string('-', 7)} | {new string('-', 7)} | {new string('-', 6)} | {new string('-', 9)} | {new string('-', 9)} |");
rows.ForEach(Console.WriteLine);
Console.WriteLine();
notes.ForEach(Console.WriteLine);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst search p99: {worstSearchP99:F2} ms: {(worstSearchP99 < GoalMs ? "within" : "OVER")} the {GoalMs} ms goal"));
return worstSearchP99 < GoalMs ? 0 : 1;

int Int(string key, int fallback) => int.Parse(options.GetValueOrDefault(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

static string Row(string store, string call, Timings t, Timings reference, string found) => string.Create(CultureInfo.InvariantCulture,
    $"| {store,-10} | {call,-34} | {found,7} | {t.P50,7:F2} | {t.P99,7:F2} | {t.CpuMs,6:F2} | {t.P50 / reference.P50,8:F1}x | {t.P99 / reference.P99,8:F1}x |");

static async Task<Timings> TimeAsync(int count, Func<Task<HttpResponseMessage>> call, Action<string>? inspect = null)
{
    var times = new double[count];
    using var process = Process.GetCurrentProcess();
    var cpu = TimeSpan.Zero;
    for (var i = -count / 10; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await call();
        var text = await response.Content.ReadAsStringAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
        }

        if (i >= 0)
        {
            times[i] = elapsed;
        }

        if (i == -1)
        {
            process.Refresh();
            cpu = process.TotalProcessorTime;
        }

        inspect?.Invoke(text);
    }

    process.Refresh();
    Array.Sort(times);
    return new Timings(Percentile(times, 0.50), Percentile(times, 0.99), (process.TotalProcessorTime - cpu).TotalMilliseconds / count);
}

static async Task<(Timings Timings, long Bytes, long AllocatedPerCall, long PeakBefore, long PeakAfter)> HistoryAsync(HttpClient http, string runId, int count)
{
    var buffer = new byte[64 * 1024];
    var times = new double[count];
    long bytes = 0;
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    var peakBefore = process.PeakWorkingSet64;
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=loss", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        bytes = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            bytes += read;
        }

        times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / count;
    process.Refresh();
    Array.Sort(times);
    return (new Timings(Percentile(times, 0.50), Percentile(times, 0.99), double.NaN), bytes, allocated, peakBefore, process.PeakWorkingSet64);
}

static int CountRuns(string json)
{
    using var doc = System.Text.Json.JsonDocument.Parse(json);
    return doc.RootElement.TryGetProperty("runs", out var runs) ? runs.GetArrayLength() : 0;
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static Dictionary<string, string> ArgsOf(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }

    return options;
}

/// <param name="CpuMs">CPU time of the whole process (server and client) per call: less disturbed by a loaded machine than wall time.</param>
internal sealed record Timings(double P50, double P99, double CpuMs);
