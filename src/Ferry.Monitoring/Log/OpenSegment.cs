using Parquet;
using Parquet.Schema;

namespace Ferry.Monitoring.Log;

/// <summary>
/// A segment being written under a temporary name. Each flush appends one row group and rewrites the footer
/// (Parquet.Net's append mode), then fsyncs, so between flushes the file is a whole Parquet file; sealing renames it.
/// </summary>
/// <remarks>
/// The model and version are the segment's folders, not columns. Numbers are required doubles (NaN if missing): no
/// definition levels to encode, which is most of the writer's cost for wide models.
/// Parquet was chosen over JSON lines or a row format because every reader here (drift sketches, performance,
/// export) wants a few columns of many rows, and columns of one feature compress well (Snappy, dictionary).
/// </remarks>
public sealed class OpenSegment
{
    /// <summary>
    /// Dictionary encoding is decided on a sample: request ids are all distinct, and scanning the whole column to
    /// find that out cost more than the rest of the row group; statuses and text outputs still get dictionaries.
    /// </summary>
    private static readonly ParquetOptions WriterOptions = new() { DictionaryEncodingSampleSize = 1000 };

    private readonly ParquetSchema _schema;
    private readonly DataField[] _fixed;
    private readonly DataField[] _model;

    public OpenSegment(string folder, SegmentLayout layout, DateTimeOffset opened)
    {
        Folder = folder;
        Path = SegmentFiles.OpenName(folder);
        Opened = opened;
        _fixed =
        [
            new DataField<string>(LogColumns.RequestId),
            new DataField<int>(LogColumns.Row),
            new DataField<long>(LogColumns.TimestampMs),
            new DataField<double>(LogColumns.LatencyMs),
            new DataField<string>(LogColumns.Status),
        ];
        _model = layout.Columns.Select(c => c.IsText ? (DataField)new DataField<string>(c.Name) : new DataField<double>(c.Name)).ToArray();
        _schema = new ParquetSchema(_fixed.Concat(_model).ToArray());
    }

    public string Folder { get; }

    public string Path { get; }

    public DateTimeOffset Opened { get; }

    public long Bytes { get; private set; }

    public long Rows { get; private set; }

    public long FirstMs { get; private set; } = long.MaxValue;

    public long LastMs { get; private set; } = long.MinValue;

    public async Task AppendAsync(SegmentBuffer buffer, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Folder);
        await using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var append = stream.Length > 0;
        await using (var writer = await ParquetWriter.CreateAsync(_schema, stream, WriterOptions, append, cancellationToken).ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(_fixed[0], buffer.RequestIdTexts(), null).ConfigureAwait(false);
            await group.WriteAsync(_fixed[1], buffer.Rows, null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(_fixed[2], buffer.Timestamps, null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(_fixed[3], buffer.Latencies, null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(_fixed[4], buffer.Statuses, null).ConfigureAwait(false);
            for (var c = 0; c < _model.Length; c++)
            {
                if (buffer.Layout.Columns[c].IsText)
                {
                    await group.WriteAsync(_model[c], buffer.Texts(c)!, null).ConfigureAwait(false);
                }
                else
                {
                    await group.WriteAsync(_model[c], buffer.Numbers(c), null, null, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // The footer is on disk before the flush counts as done: a kill after this point loses nothing flushed.
        stream.Flush(flushToDisk: true);
        Bytes = stream.Length;
        Rows += buffer.Count;
        FirstMs = Math.Min(FirstMs, buffer.MinTimestamp);
        LastMs = Math.Max(LastMs, buffer.MaxTimestamp);
    }

    /// <summary>Renames the segment to its sealed name; from then on it never changes.</summary>
    public string Seal()
    {
        var sealedPath = SegmentFiles.SealedName(Folder, FirstMs, LastMs);
        File.Move(Path, sealedPath);
        return sealedPath;
    }
}
