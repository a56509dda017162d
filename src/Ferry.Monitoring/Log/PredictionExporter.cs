using System.Globalization;
using System.Text;
using Ferry.Batch.Io;
using Parquet;
using Parquet.Schema;

namespace Ferry.Monitoring.Log;

/// <summary>
/// Writes a range of the log to one Parquet or CSV file. Segments of one model may differ in columns (a new version,
/// other outputs asked for), so a first pass collects the union of columns and the second writes, null where a
/// segment lacks one. Memory holds one row group at a time.
/// </summary>
public static class PredictionExporter
{
    private static readonly string[] Fixed = [LogColumns.RequestId, LogColumns.Row, LogColumns.TimestampMs, LogColumns.Model, LogColumns.Version, LogColumns.LatencyMs, LogColumns.Status];

    public static async Task<long> ExportAsync(PredictionLogReader reader, LogRange range, string path, bool csv, CancellationToken cancellationToken)
    {
        var columns = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        await foreach (var chunk in reader.ReadAsync(range, cancellationToken).ConfigureAwait(false))
        {
            foreach (var (name, values) in chunk.Columns)
            {
                columns[name] = columns.GetValueOrDefault(name) || values is string?[];
            }
        }

        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write);
        return csv
            ? await WriteCsvAsync(reader, range, columns, output, cancellationToken).ConfigureAwait(false)
            : await WriteParquetAsync(reader, range, columns, output, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> WriteCsvAsync(PredictionLogReader reader, LogRange range, SortedDictionary<string, bool> columns, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false));
        await writer.WriteLineAsync(string.Join(',', Fixed.Concat(columns.Keys).Select(Quote))).ConfigureAwait(false);
        long rows = 0;
        var line = new StringBuilder();
        await foreach (var chunk in reader.ReadAsync(range, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.RowCount; i++)
            {
                if (!chunk.InRange(i, range.FromMs, range.ToMs))
                {
                    continue;
                }

                line.Clear();
                line.Append(Quote(chunk.RequestIds[i])).Append(',').Append(chunk.Rows[i]).Append(',').Append(chunk.TimestampsMs[i]).Append(',')
                    .Append(Quote(chunk.Model)).Append(',').Append(Quote(chunk.Version)).Append(',')
                    .Append(chunk.LatenciesMs[i].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(Quote(chunk.Statuses[i]));
                foreach (var name in columns.Keys)
                {
                    line.Append(',');
                    line.Append(chunk.Columns.TryGetValue(name, out var values) ? Cell(values.GetValue(i)) : "");
                }

                await writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
                rows++;
            }
        }

        return rows;
    }

    private static async Task<long> WriteParquetAsync(PredictionLogReader reader, LogRange range, SortedDictionary<string, bool> columns, Stream output, CancellationToken cancellationToken)
    {
        DataField[] fields =
        [
            new DataField<string>(LogColumns.RequestId), new DataField<int>(LogColumns.Row), new DataField<long>(LogColumns.TimestampMs),
            new DataField<string>(LogColumns.Model), new DataField<string>(LogColumns.Version), new DataField<double>(LogColumns.LatencyMs),
            new DataField<string>(LogColumns.Status),
            .. columns.Select(c => c.Value ? (DataField)new DataField<string>(c.Key) : new DataField<double?>(c.Key)),
        ];
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, null, false, cancellationToken).ConfigureAwait(false);
        long rows = 0;
        await foreach (var chunk in reader.ReadAsync(range, cancellationToken).ConfigureAwait(false))
        {
            var keep = Enumerable.Range(0, chunk.RowCount).Where(i => chunk.InRange(i, range.FromMs, range.ToMs)).ToArray();
            if (keep.Length == 0)
            {
                continue;
            }

            using var group = writer.CreateRowGroup();
            await ParquetColumns.WriteAsync(group, fields[0], keep.Select(i => (string?)chunk.RequestIds[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteAsync(group, fields[1], keep.Select(i => chunk.Rows[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteAsync(group, fields[2], keep.Select(i => chunk.TimestampsMs[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteAsync(group, fields[3], keep.Select(_ => (string?)chunk.Model).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteAsync(group, fields[4], keep.Select(_ => (string?)chunk.Version).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteAsync(group, fields[5], keep.Select(i => chunk.LatenciesMs[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteAsync(group, fields[6], keep.Select(i => (string?)chunk.Statuses[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            var f = Fixed.Length;
            foreach (var (name, text) in columns)
            {
                chunk.Columns.TryGetValue(name, out var values);
                Array data = text
                    ? keep.Select(i => values is null ? null : ReferenceCell(values.GetValue(i))).ToArray()
                    : keep.Select(i => values is double[] d && !double.IsNaN(d[i]) ? d[i] : (double?)null).ToArray();
                await ParquetColumns.WriteAsync(group, fields[f++], data, cancellationToken).ConfigureAwait(false);
            }

            rows += keep.Length;
        }

        return rows;
    }

    private static string? ReferenceCell(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => Quote(s),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
