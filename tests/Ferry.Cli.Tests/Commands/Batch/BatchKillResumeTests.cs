using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Tests;
using Xunit.Abstractions;

namespace Ferry.Cli.Tests.Commands.Batch;

/// <summary>
/// Acceptance (issue 7): a <c>ferry batch</c> run killed with SIGKILL at random points five times and resumed
/// gives byte-identical output to a clean run. The real executable runs as a child process, so nothing in it
/// gets to clean up: only what was durably on disk at the kill survives.
/// </summary>
public sealed class BatchKillResumeTests(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 200_000;
    private const int ChunkRows = 2_000;
    private const int Kills = 5;

    private readonly string _root = Directory.CreateTempSubdirectory("ferry-batch-kill-").FullName;

    [Fact]
    public async Task Run_KilledFiveTimesAtRandomPoints_ResumesToByteIdenticalOutput()
    {
        var repository = Path.Combine(_root, "models");
        OnnxModelBuilder.AddFloats(width: 1).WriteTo(repository, "adder");
        var input = Path.Combine(_root, "in.csv");
        await WriteInputAsync(input);

        var clean = Path.Combine(_root, "clean.parquet");
        var timer = Stopwatch.StartNew();
        using (var run = Start(repository, input, clean))
        {
            await run.WaitForExitAsync();
            Assert.Equal(0, run.ExitCode);
        }

        var cleanRun = timer.Elapsed;
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

            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * cleanRun.TotalMilliseconds / 10));
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
    }

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

    private static Process Start(string repository, string input, string output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "batch", "--model", "adder", "--model-repository", repository,
                     "--input", input, "--output", output, "--keep", "id", "--chunk-rows", ChunkRows.ToString(CultureInfo.InvariantCulture),
                     "--parallel", "2", "--intra-op-threads", "1",
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
