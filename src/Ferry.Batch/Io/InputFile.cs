namespace Ferry.Batch.Io;

/// <summary>One input file: its place in the job (index), its name as shown, and its format.</summary>
public sealed record InputFile(int Index, string Path, string Name, OutputFormat Format, long Size)
{
    /// <summary>The input's files in ordinal name order, so every shard and every rerun numbers them alike.</summary>
    public static IReadOnlyList<InputFile> List(string input)
    {
        var full = System.IO.Path.GetFullPath(input);
        if (File.Exists(full))
        {
            var format = FileFormats.FromPath(full) ?? throw new BatchUsageException($"'{input}' is not a .parquet, .csv or .jsonl file");
            return [new InputFile(0, full, System.IO.Path.GetFileName(full), format, new FileInfo(full).Length)];
        }

        if (!Directory.Exists(full))
        {
            throw new BatchUsageException($"no such input file or folder: {input}");
        }

        var files = Directory.EnumerateFiles(full)
            .Where(f => FileFormats.FromPath(f) is not null)
            .Order(StringComparer.Ordinal)
            .Select((f, i) => new InputFile(i, f, System.IO.Path.GetFileName(f), FileFormats.FromPath(f)!.Value, new FileInfo(f).Length))
            .ToArray();
        if (files.Length == 0)
        {
            throw new BatchUsageException($"the folder {input} holds no .parquet, .csv or .jsonl file");
        }

        return files;
    }

    public async Task<IChunkReader> OpenAsync(IReadOnlyCollection<string> columns, int chunkRows, CancellationToken cancellationToken) => Format switch
    {
        OutputFormat.Parquet => await ParquetChunkReader.OpenAsync(Path, Index, Name, columns, cancellationToken).ConfigureAwait(false),
        OutputFormat.Csv => new CsvChunkReader(Path, Index, Name, columns, chunkRows),
        _ => new JsonlChunkReader(Path, Index, Name, columns, chunkRows),
    };

    /// <summary>Rows of the shard's row groups when the format says so without reading them (Parquet), else null.</summary>
    public async Task<long?> CountRowsAsync(ShardSpec shard, CancellationToken cancellationToken)
    {
        if (Format != OutputFormat.Parquet)
        {
            return null;
        }

        using var stream = File.OpenRead(Path);
        await using var reader = await Parquet.ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        return reader.RowGroups.Where((_, i) => shard.Owns(Index, i)).Sum(g => g.RowCount);
    }
}
