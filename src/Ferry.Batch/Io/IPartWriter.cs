using Ferry.Batch.Scoring;

namespace Ferry.Batch.Io;

/// <summary>Writes one scored chunk as a self-contained part file, and joins parts into the final output.</summary>
public interface IPartWriter
{
    Task WritePartAsync(ScoredChunk chunk, Stream stream, CancellationToken cancellationToken);

    /// <summary>Writes the parts, in the order given, as one output file.</summary>
    Task AssembleAsync(IReadOnlyList<string> parts, Stream output, CancellationToken cancellationToken);

    public static IPartWriter For(OutputFormat format) => format switch
    {
        OutputFormat.Parquet => new ParquetPartWriter(),
        OutputFormat.Csv => new CsvPartWriter(),
        _ => new JsonlPartWriter(),
    };
}
