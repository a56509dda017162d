using System.Text.Json;

namespace Ferry.Batch.Io;

/// <summary>
/// Reads a JSON Lines file (one object per line) in chunks. Values are kept as raw JSON text so that numbers,
/// strings and nulls stay distinguishable until they meet the model's types.
/// </summary>
public sealed class JsonlChunkReader : IChunkReader
{
    private readonly StreamReader _reader;
    private readonly int _fileIndex;
    private readonly string _fileName;
    private readonly int _chunkRows;
    private readonly string[] _columns;
    private int _next;
    private long _firstRow;
    private bool _ended;

    public JsonlChunkReader(string path, int fileIndex, string fileName, IReadOnlyCollection<string> columns, int chunkRows)
    {
        _reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        _fileIndex = fileIndex;
        _fileName = fileName;
        _chunkRows = chunkRows;
        _columns = columns.ToArray();
    }

    public async ValueTask<DataChunk?> ReadAsync(bool load, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return null;
        }

        var values = load ? _columns.Select(_ => new string?[_chunkRows]).ToArray() : [];
        var errors = new List<RowError>();
        var rows = 0;
        while (rows < _chunkRows)
        {
            var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                _ended = true;
                break;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (load)
            {
                ParseLine(line, rows, values, errors);
            }

            rows++;
        }

        if (rows == 0)
        {
            return null;
        }

        var columns = new Dictionary<string, ChunkColumn>(StringComparer.Ordinal);
        for (var c = 0; c < values.Length; c++)
        {
            var array = values[c];
            Array.Resize(ref array, rows);
            columns[_columns[c]] = new ChunkColumn { Name = _columns[c], Kind = ColumnKind.Json, Values = array };
        }

        var chunk = new DataChunk
        {
            FileIndex = _fileIndex,
            ChunkIndex = _next++,
            FileName = _fileName,
            FirstRow = _firstRow,
            RowCount = rows,
            Columns = columns,

            // JSONL has no header: every wanted column counts as present and a row without it has a missing value.
            FileColumns = _columns,
            RowErrors = errors,
        };
        _firstRow += rows;
        return chunk;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }

    private void ParseLine(string line, int row, string?[][] values, List<RowError> errors)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new RowError(row, "", "the line is not a JSON object"));
                return;
            }

            for (var c = 0; c < _columns.Length; c++)
            {
                if (document.RootElement.TryGetProperty(_columns[c], out var value))
                {
                    values[c][row] = value.GetRawText();
                }
            }
        }
        catch (JsonException e)
        {
            errors.Add(new RowError(row, "", "the line is not valid JSON: " + e.Message));
        }
    }
}
