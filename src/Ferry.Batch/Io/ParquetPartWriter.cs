using Ferry.Batch.Scoring;
using Parquet;
using Parquet.Schema;
using Parquet.Utils;

namespace Ferry.Batch.Io;

/// <summary>A part is a Parquet file of one row group; the output is the parts' row groups copied into one file.</summary>
public sealed class ParquetPartWriter : IPartWriter
{
    public async Task WritePartAsync(ScoredChunk chunk, Stream stream, CancellationToken cancellationToken)
    {
        var fields = chunk.Columns.Select(FieldOf).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, cancellationToken).ConfigureAwait(false);
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
        {
            await ParquetColumns.WriteAsync(group, fields[c], chunk.Columns[c].Values, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task AssembleAsync(IReadOnlyList<string> parts, Stream output, CancellationToken cancellationToken)
    {
        // Row groups are copied as they are (no decoding), so assembly costs little memory and time.
        await using var merger = new FileMerger(parts.Select(p => new FileInfo(p)));
        await merger.MergeFilesAsync(output, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A fresh field per part: a field belongs to the schema it is added to, so the reader's is not reused.</summary>
    private static DataField FieldOf(ChunkColumn column) => column.Field switch
    {
        DateTimeDataField d => new DateTimeDataField(d.Name, d.DateTimeFormat, isNullable: d.IsNullable),
        { } f when ParquetColumns.IsText(f.ClrType) => new DataField(f.Name, typeof(string), isNullable: true),
        { } f => new DataField(f.Name, f.ClrType, f.IsNullable),
        null => new DataField(column.Name, typeof(string), isNullable: true),
    };
}
