using System.Diagnostics;
using Ferry.Monitoring.Drift;
using Ferry.Monitoring.Log;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ferry.Bench.Monitoring;

/// <summary>Sketches and drift tests over a million logged rows of ten features, from memory and through the log's segments.</summary>
public static class DriftBench
{
    private const int Rows = 1_000_000;
    private const int Features = 10;
    private const int ChunkRows = 100_000;

    public static async Task RunAsync()
    {
        var random = new Random(42);
        var reference = ReferenceProfileBuilder.FromValues("bench", Enumerable.Range(0, Features).ToDictionary(
            f => $"f{f}",
            f => (IReadOnlyList<object?>)Enumerable.Range(0, 10_000).Select(_ => (object?)Normal(random)).ToArray()));
        var chunks = Enumerable.Range(0, Rows / ChunkRows).Select(c => Chunk(random, c)).ToArray();

        // In memory: what sketching costs, apart from reading.
        var memory = new List<double>();
        DriftReportLine? line = null;
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var set = new SketchSet(reference);
            foreach (var chunk in chunks)
            {
                set.Add(chunk, long.MinValue, long.MaxValue);
            }

            var drift = DriftDetector.Default.Compare(reference, set);
            memory.Add(watch.Elapsed.TotalMilliseconds);
            line = new DriftReportLine(set.Rows, drift.Count, drift.Count(d => d.Result.Drifted));
        }

        // Through the log: the same rows written as segments, then read back, sketched and tested.
        var root = Directory.CreateTempSubdirectory("ferry-bench-log-").FullName;
        var writeWatch = Stopwatch.StartNew();
        await WriteLogAsync(root, chunks);
        var writeMs = writeWatch.Elapsed.TotalMilliseconds;
        var segments = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var set = new SketchSet(reference);
            var reader = new PredictionLogReader(root);
            var range = new LogRange("bench", null, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
            var features = Enumerable.Range(0, Features).Select(f => $"in.f{f}").ToHashSet();
            await foreach (var chunk in reader.ReadAsync(range, features, CancellationToken.None))
            {
                set.Add(chunk, range.FromMs, range.ToMs);
            }

            DriftDetector.Default.Compare(reference, set);
            segments.Add(watch.Elapsed.TotalMilliseconds);
        }

        Directory.Delete(root, recursive: true);
        Console.WriteLine($"## Sketches + drift: {Rows:N0} rows x {Features} features ({line!.Rows:N0} sketched, {line.Drifted}/{line.Features} drifted), median of 3");
        Console.WriteLine("| source | median ms | min ms | max ms | ratio to 1 s goal |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Row("in memory", memory);
        Row("log segments (read + sketch)", segments);
        Console.WriteLine($"(writing the {Rows:N0} rows to the log through the channel and writer took {writeMs:F0} ms, once)");
        Console.WriteLine();
    }

    private static void Row(string name, List<double> ms)
    {
        ms.Sort();
        Console.WriteLine($"| {name} | {ms[1]:F0} | {ms[0]:F0} | {ms[2]:F0} | {ms[1] / 1000:F2} |");
    }

    /// <summary>The rows as 10,000 requests of 100 rows with inputs f0..f9 of shape [100,1], through the real channel and writer.</summary>
    private static async Task WriteLogAsync(string root, LogChunk[] chunks)
    {
        const int perRequest = 100;
        var options = Options.Create(new PredictionLogOptions { Directory = root, ChannelCapacity = Rows / perRequest });
        var channel = new PredictionChannel(options);
        using var writer = new PredictionLogWriter(channel, options, new PredictionLogStats(), new SegmentGate(), TimeProvider.System, NullLogger<PredictionLogWriter>.Instance);
        var now = DateTimeOffset.UtcNow;
        foreach (var chunk in chunks)
        {
            for (var start = 0; start < chunk.RowCount; start += perRequest)
            {
                var inputs = new CapturedTensor[Features];
                for (var f = 0; f < Features; f++)
                {
                    var values = ((double[])chunk.Columns[$"in.f{f}"]).AsSpan(start, perRequest).ToArray();
                    inputs[f] = new CapturedTensor($"f{f}", Ferry.DataType.Fp64, [perRequest, 1], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), null);
                }

                channel.TryWrite(new CapturedPrediction($"r{start}", now, "bench", "1", true, inputs, [], 0.1, "ok"));
            }

            await writer.FlushAsync(seal: false, CancellationToken.None);
        }

        await writer.FlushAsync(seal: true, CancellationToken.None);
    }

    private static LogChunk Chunk(Random random, int index)
    {
        var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
        for (var f = 0; f < Features; f++)
        {
            // Half the features shifted by half a standard deviation, so the tests have drift to find.
            var shift = f % 2 == 0 ? 0.5 : 0;
            columns[$"in.f{f}"] = Enumerable.Range(0, ChunkRows).Select(_ => Normal(random) + shift).ToArray();
        }

        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new LogChunk("bench", "1", ChunkRows, Enumerable.Range(0, ChunkRows).Select(i => $"r{index}-{i}").ToArray(), new int[ChunkRows],
            Enumerable.Repeat(ms, ChunkRows).ToArray(), new double[ChunkRows], Enumerable.Repeat("ok", ChunkRows).ToArray(), columns);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed record DriftReportLine(long Rows, int Features, int Drifted);
}
