namespace Ferry.Batch.Io;

/// <summary>Reads a CSV file with a header row in chunks of a fixed number of records.</summary>
public sealed class CsvChunkReader : IChunkReader
{
    private readonly StreamReader _reader;
    private readonly CsvRecordReader _records;
    private readonly int _fileIndex;
    private readonly string _fileName;
    private readonly int _chunkRows;
    private readonly string[] _header;
    private readonly (string Name, int Index)[] _wanted;
    private readonly List<string> _fields = [];
    private int _next;
    private long _firstRow;
    private bool _ended;

    public CsvChunkReader(string path, int fileIndex, string fileName, IReadOnlyCollection<string> columns, int chunkRows)
    {
        _reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        _records = new CsvRecordReader(_reader);
        _fileIndex = fileIndex;
        _fileName = fileName;
        _chunkRows = chunkRows;
        _header = _records.Read(_fields) ? _fields.ToArray() : [];
        _ended = _header.Length == 0;
        _wanted = columns.Select(c => (c, Array.IndexOf(_header, c))).Where(x => x.Item2 >= 0).ToArray();
    }

    public ValueTask<DataChunk?> ReadAsync(bool load, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_ended)
        {
            return ValueTask.FromResult<DataChunk?>(null);
        }

        var values = load ? _wanted.Select(_ => new string?[_chunkRows]).ToArray() : [];
        var rows = 0;
        while (rows < _chunkRows && _records.Read(_fields))
        {
            // A blank line is no record; it would otherwise read as one empty field.
            if (_fields.Count == 1 && _fields[0].Length == 0)
            {
                continue;
            }

            for (var c = 0; c < values.Length; c++)
            {
                var index = _wanted[c].Index;
                values[c][rows] = index < _fields.Count ? _fields[index] : null;
            }

            rows++;
        }

        if (rows < _chunkRows)
        {
            _ended = true;
        }

        if (rows == 0)
        {
            return ValueTask.FromResult<DataChunk?>(null);
        }

        var columns = new Dictionary<string, ChunkColumn>(StringComparer.Ordinal);
        for (var c = 0; c < values.Length; c++)
        {
            var array = values[c];
            if (rows < _chunkRows)
            {
                Array.Resize(ref array, rows);
            }

            columns[_wanted[c].Name] = new ChunkColumn { Name = _wanted[c].Name, Kind = ColumnKind.Text, Values = array };
        }

        var chunk = new DataChunk
        {
            FileIndex = _fileIndex,
            ChunkIndex = _next++,
            FileName = _fileName,
            FirstRow = _firstRow,
            RowCount = rows,
            Columns = columns,
            FileColumns = _header,
        };
        _firstRow += rows;
        return ValueTask.FromResult<DataChunk?>(chunk);
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
