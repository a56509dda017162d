using System.Text;

namespace Ferry.Batch.Io;

/// <summary>
/// Reads RFC 4180 records: comma-separated, fields optionally in double quotes (which may hold commas, newlines and
/// doubled quotes), records ended by LF or CRLF.
/// </summary>
public sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly StringBuilder _field = new();

    public CsvRecordReader(TextReader reader)
    {
        _reader = reader;
    }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the input.</summary>
    public bool Read(List<string> fields)
    {
        fields.Clear();
        var c = _reader.Read();
        if (c < 0)
        {
            return false;
        }

        while (true)
        {
            _field.Clear();
            if (c == '"')
            {
                c = ReadQuoted();
            }
            else
            {
                while (c >= 0 && c != ',' && c != '\n' && c != '\r')
                {
                    _field.Append((char)c);
                    c = _reader.Read();
                }
            }

            fields.Add(_field.ToString());
            if (c == ',')
            {
                c = _reader.Read();
                continue;
            }

            if (c == '\r' && _reader.Peek() == '\n')
            {
                _reader.Read();
            }

            return true;
        }
    }

    /// <summary>Reads a quoted field after its opening quote; returns the character after the closing quote.</summary>
    private int ReadQuoted()
    {
        while (true)
        {
            var c = _reader.Read();
            if (c < 0)
            {
                return c;
            }

            if (c == '"')
            {
                if (_reader.Peek() == '"')
                {
                    _reader.Read();
                    _field.Append('"');
                    continue;
                }

                // Anything between the closing quote and the separator is kept, as lenient readers do.
                c = _reader.Read();
                while (c >= 0 && c != ',' && c != '\n' && c != '\r')
                {
                    _field.Append((char)c);
                    c = _reader.Read();
                }

                return c;
            }

            _field.Append((char)c);
        }
    }
}
