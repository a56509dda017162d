namespace Ferry.Batch;

/// <summary>Everything one batch run needs; the CLI and the server's job API both build one.</summary>
public sealed record BatchJobSpec
{
    /// <summary><c>NAME</c> (latest version), <c>NAME:VERSION</c> or <c>NAME@ALIAS</c>: a model repository folder or a registered model.</summary>
    public required string Model { get; init; }

    /// <summary>A CSV, Parquet or JSONL file, or a folder of them (read in ordinal name order, not recursive).</summary>
    public required string Input { get; init; }

    /// <summary>The output file; its extension picks the format unless <see cref="Format"/> is set.</summary>
    public required string Output { get; init; }

    public OutputFormat? Format { get; init; }

    /// <summary>Input column for a model input, when they are not named alike: model input → column.</summary>
    public IReadOnlyDictionary<string, string> Map { get; init; } = new Dictionary<string, string>();

    /// <summary>Input columns copied to the output before the model outputs.</summary>
    public IReadOnlyList<string> Keep { get; init; } = [];

    /// <summary>Model outputs to write; empty writes them all.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>Rows per chunk of CSV and JSONL input (Parquet input is chunked by row group). Default 65,536.</summary>
    public int ChunkRows { get; init; } = 65_536;

    public ShardSpec Shard { get; init; } = ShardSpec.Single;

    public ErrorPolicy OnError { get; init; } = ErrorPolicy.Fail;

    /// <summary>Throw away a checkpoint that does not match this run instead of refusing to go on.</summary>
    public bool Restart { get; init; }

    /// <summary>Chunks scored at once; each holds one chunk in memory. Default 2: one reads while one scores.</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>ONNX Runtime threads inside one operator; default the number of cores.</summary>
    public int IntraOpThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>The experiment the job is recorded in; created when missing. Default <c>batch</c>.</summary>
    public string Experiment { get; init; } = "batch";

    /// <summary>The dataset name the input is registered under (or found by, when already registered); default the input's file or folder name.</summary>
    public string? InputDataset { get; init; }

    /// <summary>When set, the finished output is registered as a version of this dataset and linked to the run.</summary>
    public string? RegisterOutput { get; init; }

    /// <summary>Checks what can be checked before any file is touched.</summary>
    /// <exception cref="BatchUsageException">The first option that is out of range, named.</exception>
    public void Validate()
    {
        if (ChunkRows < 1 || Parallelism < 1)
        {
            throw new BatchUsageException("--chunk-rows and --parallel must be at least 1");
        }

        if (string.IsNullOrWhiteSpace(Experiment))
        {
            throw new BatchUsageException("--experiment must not be empty");
        }

        if (InputDataset is { } input && (string.IsNullOrWhiteSpace(input) || input.Length > 256))
        {
            throw new BatchUsageException("--input-dataset must be a dataset name of 1 to 256 characters");
        }

        if (RegisterOutput is { } output && (string.IsNullOrWhiteSpace(output) || output.Length > 256))
        {
            throw new BatchUsageException("--register-output must be a dataset name of 1 to 256 characters");
        }
    }

    public OutputFormat ResolveFormat() =>
        Format ?? FileFormats.FromPath(Output)
        ?? throw new BatchUsageException($"cannot tell the output format from '{Path.GetFileName(Output)}': use .parquet, .csv or .jsonl, or --format");

    /// <summary>The file this shard writes: the output itself, or <c>NAME-shard-i-of-N.EXT</c> when sharded.</summary>
    public string ShardOutputPath()
    {
        var full = Path.GetFullPath(Output);
        if (Shard.IsSingle)
        {
            return full;
        }

        var dir = Path.GetDirectoryName(full)!;
        var name = Path.GetFileNameWithoutExtension(full);
        return Path.Combine(dir, FormattableString.Invariant($"{name}-shard-{Shard.Index}-of-{Shard.Count}{Path.GetExtension(full)}"));
    }
}
