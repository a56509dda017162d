using System.Globalization;
using System.Text.Json;
using Ferry.Batch.Io;
using Parquet;

namespace Ferry.Batch.Tests;

/// <summary>Reads any output file back as rows of cells in invariant text, to compare formats alike.</summary>
public static class OutputTable
{
    public static async Task<List<Dictionary<string, string?>>> ReadAsync(string path)
    {
        var rows = new List<Dictionary<string, string?>>();
        switch (Path.GetExtension(path))
        {
            case ".csv":
                using (var reader = new StreamReader(path))
                {
                    var records = new CsvRecordReader(reader);
                    var fields = new List<string>();
                    records.Read(fields);
                    var header = fields.ToArray();
                    while (records.Read(fields))
                    {
                        rows.Add(header.Select((h, i) => (h, v: fields[i].Length == 0 ? null : fields[i])).ToDictionary(x => x.h, x => x.v));
                    }
                }

                break;
            case ".jsonl":
                foreach (var line in File.ReadLines(path))
                {
                    using var doc = JsonDocument.Parse(line);
                    rows.Add(doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()));
                }

                break;
            default:
                await using (var stream = File.OpenRead(path))
                await using (var reader = await ParquetReader.CreateAsync(stream))
                {
                    var fields = reader.Schema.GetDataFields();
                    for (var g = 0; g < reader.RowGroupCount; g++)
                    {
                        using var group = reader.OpenRowGroupReader(g);
                        var columns = new List<Array>();
                        foreach (var f in fields)
                        {
                            columns.Add(await ParquetColumns.ReadAsync(group, f, (int)group.RowCount, default));
                        }

                        for (var r = 0; r < group.RowCount; r++)
                        {
                            rows.Add(fields.Select((f, c) => (f.Name, v: Text(columns[c].GetValue(r)))).ToDictionary(x => x.Name, x => x.v));
                        }
                    }
                }

                break;
        }

        return rows;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
