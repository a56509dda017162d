using Parquet;
using Parquet.Schema;

namespace Ferry.Batch.Io;

/// <summary>Reads a Parquet file one row group at a time: a row group is a chunk.</summary>
public sealed class ParquetChunkReader : IChunkReader
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly int _fileIndex;
    private readonly string _fileName;
    private readonly IReadOnlyCollection<string> _columns;
    private readonly string[] _fileColumns;
    private int _next;
    private long _firstRow;

    private ParquetChunkReader(Stream stream, ParquetReader reader, int fileIndex, string fileName, IReadOnlyCollection<string> columns)
    {
        _stream = stream;
        _reader = reader;
        _fileIndex = fileIndex;
        _fileName = fileName;
        _columns = columns;
        _fileColumns = reader.Schema.GetDataFields().Select(f => f.Name).ToArray();
    }

    public static async Task<ParquetChunkReader> OpenAsync(string path, int fileIndex, string fileName, IReadOnlyCollection<string> columns, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        try
        {
            var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
            return new ParquetChunkReader(stream, reader, fileIndex, fileName, columns);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<DataChunk?> ReadAsync(bool load, CancellationToken cancellationToken)
    {
        if (_next >= _reader.RowGroupCount)
        {
            return null;
        }

        using var group = _reader.OpenRowGroupReader(_next);
        var rows = checked((int)group.RowCount);
        var columns = new Dictionary<string, ChunkColumn>(StringComparer.Ordinal);
        if (load)
        {
            foreach (var field in _reader.Schema.GetDataFields())
            {
                if (_columns.Contains(field.Name) && !columns.ContainsKey(field.Name))
                {
                    var values = await ParquetColumns.ReadAsync(group, field, rows, cancellationToken).ConfigureAwait(false);
                    columns[field.Name] = new ChunkColumn { Name = field.Name, Kind = ColumnKind.Typed, Values = values, Field = field };
                }
            }
        }

        var chunk = new DataChunk
        {
            FileIndex = _fileIndex,
            ChunkIndex = _next,
            FileName = _fileName,
            FirstRow = _firstRow,
            RowCount = rows,
            Columns = columns,
            FileColumns = _fileColumns,
        };
        _next++;
        _firstRow += rows;
        return chunk;
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
