using System.CommandLine;
using System.Text.Json;
using Ferry.Batch;
using Ferry.Inference.Models;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Ferry.Tracking.Batch;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry batch</c>: scores CSV, Parquet or JSONL files with a model, resumably and in shards.</summary>
public static class BatchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "NAME (latest version), NAME:VERSION or NAME@ALIAS: a model in --model-repository, else a registered model.",
            Required = true,
        };
        var repositories = new Option<string[]>("--model-repository") { Description = "A model repository in Triton's layout, looked in before the registry; repeat for several.", Arity = ArgumentArity.ZeroOrMore };
        var input = new Option<string>("--input") { Description = "A .parquet, .csv or .jsonl file, or a folder of them.", Required = true };
        // --output is given once with the output file and, optionally, once more as "json" or "text" for the summary.
        var output = new Option<string[]>("--output", "-o") { Description = "The output file (.parquet, .csv or .jsonl unless --format says); give --output json as well for a JSON summary.", Arity = ArgumentArity.OneOrMore, Required = true };
        var format = new Option<string?>("--format") { Description = "parquet, csv or jsonl (default: from the output's extension)." };
        var map = new Option<string[]>("--map") { Description = "COLUMN=INPUT: feed a model input from a column of another name; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var keep = new Option<string?>("--keep") { Description = "Comma-separated input columns copied to the output before the model outputs." };
        var outputs = new Option<string?>("--outputs") { Description = "Comma-separated model outputs to write (default: all)." };
        var chunkRows = new Option<int>("--chunk-rows") { Description = "Rows per chunk of CSV/JSONL input; Parquet is read by row group.", DefaultValueFactory = _ => 65_536 };
        var shard = new Option<string?>("--shard") { Description = "i/N: score only this shard's chunks (for Kubernetes Indexed Jobs)." };
        var onError = new Option<string>("--on-error") { Description = "fail (default), skip or null: what to do with a row the model cannot take.", DefaultValueFactory = _ => "fail" };
        var restart = new Option<bool>("--restart") { Description = "Discard a checkpoint made with other input, model or options and start over." };
        var parallel = new Option<int>("--parallel") { Description = "Chunks in flight at once (memory grows with it).", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--intra-op-threads") { Description = "ONNX Runtime threads (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var experiment = new Option<string>("--experiment") { Description = "The experiment the job is recorded in as a run (created when missing).", DefaultValueFactory = _ => "batch" };
        var inputDataset = new Option<string?>("--input-dataset") { Description = "The dataset name the input is linked under: the registered version with its digest, else a digest-only one (default: its file or folder name)." };
        var registerOutput = new Option<string?>("--register-output") { Description = "Register the output as a version of this dataset, linked to the run, once the job has finished completely." };
        var store = new StoreOptions();
        var blobs = new Option<string?>("--blobs") { Description = "The registry's blob folder (default <home>/blobs)." };

        var command = new Command("batch", "Score a file or folder of rows with a model, in chunks, resumably; the job is recorded as a run.")
        {
            model, repositories, input, output, format, map, keep, outputs, chunkRows, shard, onError, restart, parallel, threads,
            experiment, inputDataset, registerOutput, blobs,
        };
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            BatchJobSpec spec;
            var given = result.GetValue(output)!;
            var json = given.Contains("json", StringComparer.OrdinalIgnoreCase);
            var paths = given.Where(o => !o.Equals("json", StringComparison.OrdinalIgnoreCase) && !o.Equals("text", StringComparison.OrdinalIgnoreCase)).ToArray();
            try
            {
                if (paths.Length != 1)
                {
                    throw new BatchUsageException("give exactly one output file with --output (and optionally --output json for a JSON summary)");
                }

                spec = new BatchJobSpec
                {
                    Model = result.GetValue(model)!,
                    Input = result.GetValue(input)!,
                    Output = paths[0],
                    Format = result.GetValue(format) is { } f ? FileFormats.FromName(f) ?? throw new BatchUsageException($"--format must be parquet, csv or jsonl, not '{f}'") : null,
                    Map = ParseMap(result.GetValue(map) ?? []),
                    Keep = SplitList(result.GetValue(keep)),
                    Outputs = SplitList(result.GetValue(outputs)),
                    ChunkRows = result.GetValue(chunkRows),
                    Shard = result.GetValue(shard) is { } s ? ShardSpec.Parse(s) : ShardSpec.Single,
                    OnError = Enum.TryParse<ErrorPolicy>(result.GetValue(onError), ignoreCase: true, out var policy) ? policy : throw new BatchUsageException("--on-error must be fail, skip or null"),
                    Restart = result.GetValue(restart),
                    Parallelism = result.GetValue(parallel),
                    IntraOpThreads = result.GetValue(threads),
                    Experiment = result.GetValue(experiment)!,
                    InputDataset = result.GetValue(inputDataset),
                    RegisterOutput = result.GetValue(registerOutput),
                };
                spec.Validate();
            }
            catch (BatchUsageException e)
            {
                await Console.Error.WriteLineAsync($"ferry batch: {e.Message}");
                return ExitCodes.Usage;
            }

            var repos = result.GetValue(repositories) ?? [];
            var missing = repos.Where(r => !Directory.Exists(r)).ToArray();
            if (missing.Length > 0)
            {
                await Console.Error.WriteLineAsync($"ferry batch: no such model repository: {string.Join(", ", missing)}");
                return ExitCodes.Usage;
            }

            // The registry's store is also where the job is recorded as a run, so it is opened even for repository models.
            var home = Path.GetFullPath(result.GetValue(store.Home)!);
            IMetadataStore metadata;
            try
            {
                Directory.CreateDirectory(home);
                metadata = await store.OpenAsync(result, cancellationToken);
            }
            catch (FerryException e)
            {
                await Console.Error.WriteLineAsync($"ferry batch: {e.Message}");
                return ExitCodes.Usage;
            }

            await using (metadata)
            {
                var blobStore = new FileBlobStore(result.GetValue(blobs) ?? Path.Combine(home, "blobs"));
                var resolver = new RegistryModelResolver(metadata, blobStore, Path.Combine(home, "cache", "models"), repos.Length > 0 ? new ModelRepository(repos) : null);
                return await RunAsync(new BatchRunner(resolver, new TrackingBatchObserver(metadata, TimeProvider.System)), spec, json, cancellationToken);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(BatchRunner runner, BatchJobSpec spec, bool json, CancellationToken cancellationToken)
    {
        try
        {
            var summary = await BatchProgressView.RunAsync(progress => runner.RunAsync(spec, progress, cancellationToken), cancellationToken);
            await Console.Out.WriteLineAsync(json ? JsonSerializer.Serialize(summary, SummaryJson) : BatchProgressView.Format(summary));
            return ExitCodes.Ok;
        }
        catch (BatchUsageException e)
        {
            await Console.Error.WriteLineAsync($"ferry batch: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (FerryException e) when (e.Code == ErrorCode.NotFound)
        {
            await Console.Error.WriteLineAsync($"ferry batch: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is BadRowException or FerryException or IOException or Parquet.ParquetException)
        {
            await Console.Error.WriteLineAsync($"ferry batch: failed: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("ferry batch: cancelled; rerun the same command to continue from the checkpoint");
            return ExitCodes.Failed;
        }
    }

    private static readonly JsonSerializerOptions SummaryJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static string[] SplitList(string? text) =>
        text is null ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Dictionary<string, string> ParseMap(string[] entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            // --map col=input as the issue words it: the column is on the left, the model input on the right.
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new BatchUsageException($"--map takes COLUMN=INPUT, not '{entry}'");
            }

            map[parts[1]] = parts[0];
        }

        return map;
    }
}
