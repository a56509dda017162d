using System.Diagnostics;
using System.Globalization;
using Ferry.Bench.Registry;
using Ferry.Storage;
using Ferry.Storage.Postgres;
using Ferry.Storage.Sqlite;

// Fills each store with MODELS x VERSIONS model versions, then times every list/search call ITERATIONS times and
// prints p50/p99 with the ratio to the 20 ms goal. Usage:
//   ferry-bench-registry [--models 1000] [--versions 100] [--iterations 500] [--workers 4] [--only sqlite|postgresql] [--postgres CONNECTION] [--folder DIR]
var options = ArgsOf(args);
var models = int.Parse(options.GetValueOrDefault("models", "1000"), CultureInfo.InvariantCulture);
var versions = int.Parse(options.GetValueOrDefault("versions", "100"), CultureInfo.InvariantCulture);
var iterations = int.Parse(options.GetValueOrDefault("iterations", "500"), CultureInfo.InvariantCulture);
var workers = int.Parse(options.GetValueOrDefault("workers", "4"), CultureInfo.InvariantCulture);
var folder = options.GetValueOrDefault("folder") ?? Directory.CreateTempSubdirectory("ferry-bench-registry-").FullName;
const double GoalMs = 20;

var results = new List<(string Store, string Query, double P50, double P99, int Rows)>();
var only = options.GetValueOrDefault("only");
var stores = new List<(string Name, Func<Task<IMetadataStore>> Open)>();
if (only is null or "sqlite")
{
    stores.Add(("sqlite", async () => await SqliteMetadataStore.OpenAsync(Path.Combine(folder, "bench.db"), null, CancellationToken.None)));
}

if (only is null or "postgresql" && options.TryGetValue("postgres", out var postgres))
{
    stores.Add(("postgresql", async () => await PostgresMetadataStore.OpenAsync(postgres, null, CancellationToken.None)));
}

foreach (var (name, open) in stores)
{
    await using var store = await open();
    var fill = Stopwatch.StartNew();
    await Filler.FillAsync(store, models, versions, workers, CancellationToken.None);
    // As a long-running store would be once its maintenance (autovacuum, PRAGMA optimize) has seen the new rows.
    await store.AnalyzeAsync(CancellationToken.None);
    Console.Error.WriteLine($"{name}: filled {models * versions:N0} versions across {models:N0} models in {fill.Elapsed.TotalSeconds:F1} s");
    foreach (var (query, prepare) in Queries.All(models))
    {
        var random = new Random(42);
        var times = new double[iterations];
        var rows = 0;
        for (var i = -iterations / 10; i < iterations; i++)
        {
            var call = await prepare(store, random, CancellationToken.None);
            var started = Stopwatch.GetTimestamp();
            rows = await call(CancellationToken.None);
            if (i >= 0)
            {
                // The first tenth warms caches, pools and JIT and is not counted.
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        Array.Sort(times);
        results.Add((name, query, Percentile(times, 0.50), Percentile(times, 0.99), rows));
    }
}

Console.WriteLine($"Registry list/search latency: {models:N0} models x {versions} versions = {models * versions:N0} versions, " +
    $"{iterations} calls each, page size {Queries.PageSize}, one caller; goal p99 < {GoalMs} ms");
Console.WriteLine();
Console.WriteLine($"| {"store",-10} | {"query",-34} | {"rows",5} | {"p50 ms",7} | {"p99 ms",7} | {"p99 / goal",10} |");
Console.WriteLine($"| {new string('-', 10)} | {new string('-', 34)} | {new string('-', 5)} | {new string('-', 7)} | {new string('-', 7)} | {new string('-', 10)} |");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Store,-10} | {r.Query,-34} | {r.Rows,5} | {r.P50,7:F2} | {r.P99,7:F2} | {r.P99 / GoalMs,10:F2} |"));
}

var worst = results.MaxBy(r => r.P99);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"worst p99: {worst.P99:F2} ms ({worst.Store}, {worst.Query}): {(worst.P99 < GoalMs ? "within" : "OVER")} the {GoalMs} ms goal"));
return worst.P99 < GoalMs ? 0 : 1;

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
