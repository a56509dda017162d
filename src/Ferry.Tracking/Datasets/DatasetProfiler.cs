using System.Globalization;
using System.Text.Json;
using Ferry.Batch;
using Ferry.Batch.Io;

namespace Ferry.Tracking.Datasets;

/// <summary>Reads every file of a dataset with the batch readers and profiles each column across all of them.</summary>
public static class DatasetProfiler
{
    private const int ChunkRows = 8192;

    public static async Task<DatasetProfile> ProfileAsync(IReadOnlyList<InputFile> files, CancellationToken cancellationToken)
    {
        var accumulators = new Dictionary<string, ColumnAccumulator>(StringComparer.Ordinal);
        var order = new List<string>();
        long rows = 0;
        foreach (var file in files)
        {
            var columns = await ColumnsAsync(file, cancellationToken).ConfigureAwait(false);
            foreach (var column in columns.Where(c => !accumulators.ContainsKey(c)))
            {
                accumulators[column] = new ColumnAccumulator(column);
                order.Add(column);
            }

            await using var reader = await file.OpenAsync(columns, ChunkRows, cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(load: true, cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                rows += chunk.RowCount;
                foreach (var name in columns)
                {
                    var target = accumulators[name];
                    if (chunk.Columns.TryGetValue(name, out var column))
                    {
                        Add(target, column, chunk.RowCount);
                    }
                    else
                    {
                        for (var i = 0; i < chunk.RowCount; i++)
                        {
                            target.AddMissing();
                        }
                    }
                }
            }
        }

        return new DatasetProfile { RowCount = rows, Columns = order.Select(c => accumulators[c].Build()).ToArray() };
    }

    /// <summary>The file's columns: the header (CSV), the schema (Parquet), or every key seen on any line (JSONL).</summary>
    private static async Task<IReadOnlyList<string>> ColumnsAsync(InputFile file, CancellationToken cancellationToken)
    {
        if (file.Format == OutputFormat.Jsonl)
        {
            var keys = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(file.Path).Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                using var document = JsonDocument.Parse(line);
                foreach (var property in document.RootElement.EnumerateObject().Where(p => seen.Add(p.Name)))
                {
                    keys.Add(property.Name);
                }
            }

            return keys;
        }

        await using var reader = await file.OpenAsync([], 1, cancellationToken).ConfigureAwait(false);
        var first = await reader.ReadAsync(load: true, cancellationToken).ConfigureAwait(false);
        return first?.FileColumns ?? [];
    }

    private static void Add(ColumnAccumulator target, ChunkColumn column, int rows)
    {
        for (var i = 0; i < rows; i++)
        {
            var value = column.Values.GetValue(i);
            switch (column.Kind)
            {
                case ColumnKind.Text:
                    AddText(target, value as string);
                    break;
                case ColumnKind.Json:
                    AddJson(target, value as string);
                    break;
                default:
                    AddTyped(target, value);
                    break;
            }
        }
    }

    private static void AddText(ColumnAccumulator target, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            target.AddMissing();
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            target.AddNumber(number, text);
        }
        else
        {
            target.AddText(text);
        }
    }

    private static void AddJson(ColumnAccumulator target, string? json)
    {
        if (json is null or "null")
        {
            target.AddMissing();
            return;
        }

        using var document = JsonDocument.Parse(json);
        var element = document.RootElement;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                target.AddNumber(element.GetDouble(), json);
                break;
            case JsonValueKind.String:
                target.AddText(element.GetString()!);
                break;
            default:
                target.AddText(json);
                break;
        }
    }

    private static void AddTyped(ColumnAccumulator target, object? value)
    {
        switch (value)
        {
            case null:
                target.AddMissing();
                break;
            case double or float or long or int or short or sbyte or ulong or uint or ushort or byte or decimal:
                target.AddNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture), null);
                break;
            case string text:
                target.AddText(text);
                break;
            case IFormattable formattable:
                target.AddText(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                target.AddText(value.ToString() ?? "");
                break;
        }
    }
}
