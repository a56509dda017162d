using System.Diagnostics;
using System.Text;
using Ferry.Inference;
using Ferry.Monitoring.Log;
using Ferry.Server;
using Ferry.Server.Hosting;
using Ferry.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Bench.Monitoring;

/// <summary>
/// Requests per second through the real server (Kestrel on 127.0.0.1, REST JSON) to two copies of the same model:
/// one logged at 100%, one at 0%. Runs come in pairs whose order flips (on-off, off-on, ...) so machine noise and
/// warm-up hit both alike; the median of 5 each is compared. Each run also prints its allocations and GCs. A logged run ends with a flush of the log, so it pays for its own writing. Besides
/// throughput, the process's CPU time per request is compared: on a shared machine it is far steadier than wall time
/// (it includes the in-process client's share, the same in both).
/// </summary>
public static class LoggingOverheadBench
{
    private const int Concurrency = 8;

    private const int Runs = 5;

    public static async Task RunAsync(int requests)
    {
        var repository = Directory.CreateTempSubdirectory("ferry-bench-repo-").FullName;
        var home = Directory.CreateTempSubdirectory("ferry-bench-home-").FullName;
        foreach (var name in new[] { "logged", "unlogged" })
        {
            OnnxModelBuilder.AddFloats(10).WriteTo(repository, name);
            File.WriteAllText(Path.Combine(repository, name, "config.json"), """{"max_batch_size": 8}""");
        }

        var app = FerryHost.Create(
            new ServerOptions { Host = "127.0.0.1", HttpPort = 0, GrpcPort = -1, Home = home },
            new InferenceOptions { ModelRepositories = [repository], IntraOpThreads = 1 },
            builder => builder.Services.Configure<PredictionLogOptions>(o => o.ModelSampleRates["unlogged"] = 0));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{FerryHost.BoundPorts(app)[0]}") };
        while (!(await http.GetAsync("/v2/health/ready")).IsSuccessStatusCode)
        {
            await Task.Delay(50);
        }

        await LoopAsync(http, "logged", requests / 4);
        await LoopAsync(http, "unlogged", requests / 4);
        var writer = app.Services.GetRequiredService<PredictionLogWriter>();
        var on = new List<double>();
        var off = new List<double>();
        var onCpu = new List<double>();
        var offCpu = new List<double>();
        // Five pairs, the order flipping each time: whichever runs first in a pair meets a colder cache and the
        // previous run's garbage, which in an earlier version of this bench showed up as a "cost" of logging even
        // with the tap switched off.
        for (var run = 0; run < Runs; run++)
        {
            if (run % 2 == 0)
            {
                await OnAsync();
                await OffAsync();
            }
            else
            {
                await OffAsync();
                await OnAsync();
            }
        }

        async Task OnAsync()
        {
            var (rate, cpu) = await MeasureAsync(http, "logged", requests, writer);
            on.Add(rate);
            onCpu.Add(cpu);
        }

        async Task OffAsync()
        {
            var (rate, cpu) = await MeasureAsync(http, "unlogged", requests, null);
            off.Add(rate);
            offCpu.Add(cpu);
        }

        var stats = app.Services.GetRequiredService<PredictionLogStats>();
        await app.StopAsync();
        await app.DisposeAsync();
        on.Sort();
        off.Sort();
        onCpu.Sort();
        offCpu.Sort();
        Console.WriteLine($"## Logging overhead: {requests:N0} REST requests x {Runs} runs each, {Concurrency} concurrent, model [1,10] -> 2 x [1,10]");
        Console.WriteLine("| prediction log | median req/s | min | max | ratio to off |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Console.WriteLine($"| off (0%) | {off[Runs / 2]:F0} | {off[0]:F0} | {off[^1]:F0} | 1.000 |");
        Console.WriteLine($"| on (100%) | {on[Runs / 2]:F0} | {on[0]:F0} | {on[^1]:F0} | {on[Runs / 2] / off[Runs / 2]:F3} |");
        Console.WriteLine();
        Console.WriteLine("| prediction log | median CPU µs/request | min | max | ratio to off |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Console.WriteLine($"| off (0%) | {offCpu[Runs / 2]:F1} | {offCpu[0]:F1} | {offCpu[^1]:F1} | 1.000 |");
        Console.WriteLine($"| on (100%) | {onCpu[Runs / 2]:F1} | {onCpu[0]:F1} | {onCpu[^1]:F1} | {onCpu[Runs / 2] / offCpu[Runs / 2]:F3} |");
        Console.WriteLine($"cost of logging: {(1 - (on[Runs / 2] / off[Runs / 2])) * 100:F1}% of throughput, {((onCpu[Runs / 2] / offCpu[Runs / 2]) - 1) * 100:F1}% more CPU per request (goal <= 5%); rows logged {stats.RowsWritten:N0}, dropped {stats.Dropped:N0}, write failures {stats.WriteFailures}");
        Directory.Delete(repository, recursive: true);
        Directory.Delete(home, recursive: true);
    }

    private static async Task<(double RequestsPerSecond, double CpuMicroseconds)> MeasureAsync(HttpClient http, string model, int requests, PredictionLogWriter? writer)
    {
        using var process = Process.GetCurrentProcess();
        var gen2 = GC.CollectionCount(2);
        var gen0 = GC.CollectionCount(0);
        var allocated = GC.GetTotalAllocatedBytes();
        var pause = GC.GetTotalPauseDuration();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await LoopAsync(http, model, requests);
        if (writer is not null)
        {
            await writer.FlushAsync(seal: false, CancellationToken.None);
        }

        var elapsed = watch.Elapsed;
        process.Refresh();
        Console.WriteLine($"  {model}: {requests / elapsed.TotalSeconds:F0} req/s, {(process.TotalProcessorTime - cpu).TotalMicroseconds / requests:F1} CPU µs/request, {(GC.GetTotalAllocatedBytes() - allocated) / requests:F0} B allocated/request, GCs gen0 {GC.CollectionCount(0) - gen0} gen2 {GC.CollectionCount(2) - gen2}, GC pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms");
        return (requests / elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalMicroseconds / requests);
    }

    private static async Task<double> LoopAsync(HttpClient http, string model, int requests)
    {
        var body = Encoding.UTF8.GetBytes("""
            {"inputs": [{"name": "a", "datatype": "FP32", "shape": [1, 10], "data": [1,2,3,4,5,6,7,8,9,10]},
                        {"name": "b", "datatype": "FP32", "shape": [1, 10], "data": [10,9,8,7,6,5,4,3,2,1]}]}
            """);
        var next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= requests)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var response = await http.PostAsync($"/v2/models/{model}/infer", content);
                response.EnsureSuccessStatusCode();
            }
        }));
        return requests / watch.Elapsed.TotalSeconds;
    }
}
