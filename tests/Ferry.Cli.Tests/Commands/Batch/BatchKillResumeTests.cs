using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Storage;
using Ferry.Storage.Tracking;
using Ferry.Tests;
using Xunit.Abstractions;

namespace Ferry.Cli.Tests.Commands.Batch;

/// <summary>
/// Acceptance (issue 7): a <c>ferry batch</c> run killed with SIGKILL at random points five times and resumed
/// gives byte-identical output to a clean run. The real executable runs as a child process, so nothing in it
/// gets to clean up: only what was durably on disk at the kill survives. The job is recorded as one run, continued
/// by every resumed process (its id is in the checkpoint) and FINISHED by the last.
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class BatchKillResumeTests(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 400_000;
    private const int ChunkRows = 1_000;
    private const int Kills = 5;

    private readonly string _root = Directory.CreateTempSubdirectory("ferry-batch-kill-").FullName;

    [Fact]
    public async Task Run_KilledFiveTimesAtRandomPoints_ResumesToByteIdenticalOutput()
    {
        var repository = Path.Combine(_root, "models");
        OnnxModelBuilder.AddFloats(width: 1).WriteTo(repository, "adder");
        var input = Path.Combine(_root, "in.csv");
        await WriteInputAsync(input);

        // Registered first, so that the batch runs link it rather than profile it.
        using (var register = Process.Start(RegisterInput(input)))
        {
            await register!.WaitForExitAsync();
            Assert.Equal(0, register.ExitCode);
        }

        var clean = Path.Combine(_root, "clean.parquet");
        var timer = Stopwatch.StartNew();
        TimeSpan? firstPart = null;
        using (var run = Start(repository, input, clean))
        {
            // The span from the first part listed to the exit is the scoring; start-up (store, digests) comes before it.
            while (!run.HasExited)
            {
                if (firstPart is null && PartsListed(clean + ".ferry-checkpoint.json") > 0)
                {
                    firstPart = timer.Elapsed;
                }

                await Task.Delay(5);
            }

            Assert.Equal(0, run.ExitCode);
        }

        var cleanRun = timer.Elapsed;
        var scoring = cleanRun - (firstPart ?? TimeSpan.Zero);
        var resumed = Path.Combine(_root, "resumed.parquet");
        var manifest = resumed + ".ferry-checkpoint.json";
        var random = new Random(7);
        var partsBefore = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            using var run = Start(repository, input, resumed);

            // At least one part this run has made durable, then a random further delay bounded by a fraction of the run.
            var deadline = DateTime.UtcNow + cleanRun * 3 + TimeSpan.FromSeconds(30);
            while (PartsListed(manifest) <= partsBefore)
            {
                Assert.False(run.HasExited, $"run {kill + 1} exited (code {(run.HasExited ? run.ExitCode : 0)}) before listing a new part");
                Assert.True(DateTime.UtcNow < deadline, $"run {kill + 1} listed no new part");
                await Task.Delay(10);
            }

            // The further delay shrinks with the work left and the kills still to make, so that on a fast machine the
            // last runs are still killed part-way rather than finishing first.
            var left = Math.Max(0.0, 1.0 - (PartsListed(manifest) / (double)(Rows / ChunkRows)));
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * scoring.TotalMilliseconds * left / (4 * (Kills - kill))));
            Assert.False(run.HasExited, $"run {kill + 1} finished before it could be killed; make the input bigger");
            run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();

            var parts = PartsListed(manifest);
            output.WriteLine($"kill {kill + 1}: {parts} parts listed (was {partsBefore})");
            Assert.True(parts > partsBefore, "a killed run must keep the parts it listed");
            Assert.False(File.Exists(resumed), "a killed run must not leave an output that looks complete");
            partsBefore = parts;
        }

        using (var run = Start(repository, input, resumed))
        {
            await run.WaitForExitAsync();
            Assert.Equal(0, run.ExitCode);
        }

        output.WriteLine($"clean run {cleanRun.TotalSeconds:F1} s, {Rows / ChunkRows} parts; resumed after {Kills} kills with {partsBefore} parts done");
        Assert.Equal(await File.ReadAllBytesAsync(clean), await File.ReadAllBytesAsync(resumed));

        // Six processes wrote the resumed output, and they recorded one run between them, finished, counting every row.
        await using var store = await MetadataStores.OpenAsync(null, Home, null, CancellationToken.None);
        var runs = (await store.Tracking.SearchRunsAsync(new RunQuery(), CancellationToken.None)).Items;
        var recorded = Assert.Single(runs, r => r.Params["output"] == resumed);
        Assert.Equal(2, runs.Count);
        Assert.Equal(RunStatuses.Finished, recorded.Status);
        Assert.Equal(recorded.RunId, (string?)JsonNode.Parse(File.ReadAllText(manifest))!["runId"]);
        var metrics = recorded.LatestMetrics.ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(Rows, metrics["rows_in"]);
        Assert.Equal(partsBefore, metrics["parts_resumed"]);
        Assert.Equal(("in", 1L, "batch-input"), (recorded.Inputs[0].Dataset.Name, recorded.Inputs[0].Dataset.Version, recorded.Inputs[0].Context));
    }

    private ProcessStartInfo RegisterInput(string input)
    {
        var start = new ProcessStartInfo("dotnet");
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "datasets", "register", input, "--name", "in", "--home", Home })
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private string Home => Path.Combine(_root, "home");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Process Start(string repository, string input, string output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "batch", "--model", "adder", "--model-repository", repository,
                     "--input", input, "--output", output, "--keep", "id", "--chunk-rows", ChunkRows.ToString(CultureInfo.InvariantCulture),
                     "--parallel", "2", "--intra-op-threads", "1", "--home", Home,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Parts the checkpoint manifest lists; it is replaced by rename, so a read sees a whole one or none.</summary>
    private static int PartsListed(string manifest)
    {
        try
        {
            return File.Exists(manifest) ? JsonNode.Parse(File.ReadAllText(manifest))!["parts"]!.AsArray().Count : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task WriteInputAsync(string path)
    {
        var random = new Random(7);
        var csv = new StringBuilder("id,a,b\n", Rows * 24);
        for (var i = 0; i < Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{MathF.Round((float)random.NextDouble() * 100, 3):R},{MathF.Round((float)random.NextDouble() * 10 - 5, 3):R}\n");
        }

        await File.WriteAllTextAsync(path, csv.ToString());
    }
}
