using System.Text;
using Ferry.Batch.Scoring;

namespace Ferry.Batch.Io;

/// <summary>A part is a CSV file with its header; the output is the first header and every part's rows.</summary>
public sealed class CsvPartWriter : IPartWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public async Task WritePartAsync(ScoredChunk chunk, Stream stream, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
        var line = new StringBuilder();
        AppendRecord(line, chunk.Columns.Select(c => (string?)c.Name));
        await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        for (var row = 0; row < chunk.RowsOut; row++)
        {
            line.Clear();
            var r = row;
            AppendRecord(line, chunk.Columns.Select(c => CellText.Text(c, r)));
            await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task AssembleAsync(IReadOnlyList<string> parts, Stream output, CancellationToken cancellationToken)
    {
        for (var p = 0; p < parts.Count; p++)
        {
            await using var part = File.OpenRead(parts[p]);
            if (p > 0)
            {
                SkipLine(part);
            }

            await part.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void AppendRecord(StringBuilder line, IEnumerable<string?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                line.Append(',');
            }

            first = false;
            if (cell is null)
            {
                continue;
            }

            if (cell.AsSpan().IndexOfAny(",\"\n\r") >= 0)
            {
                line.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                line.Append(cell);
            }
        }

        line.Append('\n');
    }

    /// <summary>Skips the header record; column names never hold a newline inside quotes, as Ferry writes them.</summary>
    private static void SkipLine(Stream stream)
    {
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
        }
    }
}
