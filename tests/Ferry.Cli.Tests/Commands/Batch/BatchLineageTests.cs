using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Storage;
using Ferry.Storage.Tracking;
using Ferry.Tracking.Lineage;

namespace Ferry.Cli.Tests.Commands.Batch;

/// <summary>
/// Issue 7, lineage: <c>ferry batch --model NAME@ALIAS</c> against the registry, run as the real executable, and the
/// run it records (params, metrics, digests that agree with <c>ferry datasets register</c>, lineage).
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed partial class BatchLineageTests : IDisposable
{
    private const int Rows = 3_000;

    private readonly string _root = Directory.CreateTempSubdirectory("ferry-batch-lineage-").FullName;

    private string Home => Path.Combine(_root, "home");

    [Fact]
    public async Task Batch_WithAnAliasMovedToAnOlderVersion_ScoresWithTheAliasedVersionAndRecordsTheRun()
    {
        var models = await FareModels.RegisterAsync(Home, Path.Combine(_root, "onnx"));
        await FareModels.SetAliasAsync(Home, "champion", 2);
        await FareModels.SetAliasAsync(Home, "champion", 1);
        var input = Path.Combine(_root, "trips.csv");
        var (a, b) = FareModels.WriteInput(input, Rows);
        var output = Path.Combine(_root, "out", "scored.parquet");

        var batch = (await FerryProcess.RunAsync(
            "batch", "--model", "fare@champion", "--input", input, "--output", output, "--output", "json", "--keep", "id",
            "--experiment", "nightly", "--chunk-rows", "1000", "--home", Home)).AssertOk();
        var runId = (string)JsonNode.Parse(batch.Output)!["run_id"]!;

        // The alias, not the latest version: version 1 answers differently from version 2 on these rows.
        var expected = FareModels.Score(models[0], a, b);
        Assert.NotEqual(FareModels.Score(models[1], a, b), expected);
        Assert.Equal(expected, await FareModels.ReadColumnAsync(output, "fare"));

        var outputDigest = Digest((await FerryProcess.RunAsync("datasets", "register", output, "--name", "scored-check", "--home", Home)).AssertOk());
        var inputDigest = Digest((await FerryProcess.RunAsync("datasets", "register", input, "--name", "trips-check", "--home", Home)).AssertOk());

        await using var store = await MetadataStores.OpenAsync(null, Home, null, CancellationToken.None);
        var run = (await store.Tracking.GetRunAsync(runId, CancellationToken.None))!;
        Assert.Equal(RunStatuses.Finished, run.Status);
        Assert.True(run.EndTime >= run.StartTime);
        Assert.Equal("nightly", (await store.Tracking.GetExperimentAsync(run.ExperimentId, CancellationToken.None))!.Name);
        Assert.Equal("fare", run.Params["model"]);
        Assert.Equal("1", run.Params["model_version"]);
        Assert.Equal("fare@champion", run.Params["model_ref"]);
        Assert.Equal(input, run.Params["input"]);
        Assert.Equal(output, run.Params["output"]);
        Assert.Equal("parquet", run.Params["format"]);
        Assert.Equal("0/1", run.Params["shard"]);
        Assert.Equal("fail", run.Params["on_error"]);

        var metrics = run.LatestMetrics.ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(Rows, metrics["rows_in"]);
        Assert.Equal(Rows, metrics["rows_out"]);
        Assert.Equal(0, metrics["rows_failed"]);
        Assert.True(metrics["duration_seconds"] > 0);
        Assert.True(metrics["rows_per_second"] > 0);

        Assert.Equal(outputDigest, run.Tags[LineageTags.OutputDigest]);
        Assert.Equal(inputDigest, run.Tags[LineageTags.InputDigest]);
        Assert.Equal("fare", run.Tags[LineageTags.ModelName]);
        Assert.Equal("1", run.Tags[LineageTags.ModelVersion]);
        Assert.Equal("champion", run.Tags[LineageTags.ModelAlias]);
        var used = Assert.Single(run.Inputs);
        Assert.Equal((LineageTags.InputContext, "trips", inputDigest), (used.Context, used.Dataset.Name, used.Dataset.Digest));
    }

    [Fact]
    public async Task Batch_WithRegisterOutput_RegistersTheOutputAndLineageReachesItFromTheModelVersion()
    {
        await FareModels.RegisterAsync(Home, Path.Combine(_root, "onnx"));
        await FareModels.SetAliasAsync(Home, "champion", 2);
        var input = Path.Combine(_root, "trips.csv");
        FareModels.WriteInput(input, Rows);
        var output = Path.Combine(_root, "fares.csv");

        var batch = (await FerryProcess.RunAsync(
            "batch", "--model", "fare@champion", "--input", input, "--output", output, "--output", "json", "--register-output", "fares", "--home", Home)).AssertOk();
        var summary = JsonNode.Parse(batch.Output)!;
        var runId = (string)summary["run_id"]!;
        Assert.Equal("fares:1", (string?)summary["output_dataset"]);

        var upstream = (await FerryProcess.RunAsync("lineage", "model", "fare", "2", "--home", Home)).AssertOk().Output;
        var downstream = (await FerryProcess.RunAsync("lineage", "dataset", "fares", "1", "--home", Home)).AssertOk().Output;
        var unused = (await FerryProcess.RunAsync("lineage", "model", "fare", "1", "--home", Home)).AssertOk().Output;

        Assert.Contains($"used by run {runId}", upstream, StringComparison.Ordinal);
        Assert.Contains("dataset fares version 1 [batch-output]", upstream, StringComparison.Ordinal);
        Assert.Contains("dataset trips version 1 [batch-input]", upstream, StringComparison.Ordinal);
        Assert.Contains($"run {runId} [batch-output]", downstream, StringComparison.Ordinal);
        Assert.DoesNotContain("used by run", unused, StringComparison.Ordinal);

        await using var store = await MetadataStores.OpenAsync(null, Home, null, CancellationToken.None);
        var lineage = await new LineageService(store).UpstreamAsync("fare", 2, CancellationToken.None);
        var use = Assert.Single(lineage.UsedBy);
        var written = Assert.Single(use.Datasets, d => d.Context == LineageTags.OutputContext);
        Assert.Equal(use.Run.Tags[LineageTags.OutputDigest], written.Dataset!.Digest);
        Assert.Equal(Rows, written.Dataset.RowCount);
    }

    [Theory]
    [InlineData("fare@nope", "no alias 'nope'")]
    [InlineData("fare:9", "no version 9")]
    [InlineData("taxi@champion", "model 'taxi' is not registered")]
    public async Task Batch_WithAnUnknownModelAliasOrVersion_ExitsWithUsageNamingItAndWritesNothing(string model, string named)
    {
        await FareModels.RegisterAsync(Home, Path.Combine(_root, "onnx"));
        await FareModels.SetAliasAsync(Home, "champion", 2);
        var input = Path.Combine(_root, "trips.csv");
        FareModels.WriteInput(input, 100);
        var output = Path.Combine(_root, "out", "scored.parquet");

        var batch = await FerryProcess.RunAsync("batch", "--model", model, "--input", input, "--output", output, "--home", Home, "--register-output", "scored");

        Assert.Equal(2, batch.ExitCode);
        Assert.Contains(named, batch.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(output)), "no output folder, part or checkpoint");
        await using var store = await MetadataStores.OpenAsync(null, Home, null, CancellationToken.None);
        Assert.Empty((await store.Tracking.SearchRunsAsync(new RunQuery(), CancellationToken.None)).Items);
        Assert.Null(await store.Tracking.GetDatasetVersionAsync("trips", 1, CancellationToken.None));
        Assert.Null(await store.Tracking.GetDatasetVersionAsync("scored", 1, CancellationToken.None));
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

    private static string Digest(ProcessRun run) => DigestPattern().Match(run.Output) is { Success: true } m
        ? m.Value
        : throw new InvalidOperationException($"no digest in: {run.Output}");

    [GeneratedRegex("sha256:[0-9a-f]{64}", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
