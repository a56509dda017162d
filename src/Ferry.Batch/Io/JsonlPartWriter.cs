using System.Text.Json;
using Ferry.Batch.Scoring;

namespace Ferry.Batch.Io;

/// <summary>A part is JSON Lines, one object per row; the output is the parts concatenated.</summary>
public sealed class JsonlPartWriter : IPartWriter
{
    public async Task WritePartAsync(ScoredChunk chunk, Stream stream, CancellationToken cancellationToken)
    {
        var names = chunk.Columns.Select(c => JsonEncodedText.Encode(c.Name)).ToArray();
        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
        for (var row = 0; row < chunk.RowsOut; row++)
        {
            writer.WriteStartObject();
            for (var c = 0; c < names.Length; c++)
            {
                writer.WritePropertyName(names[c]);
                CellText.WriteJson(writer, chunk.Columns[c], row);
            }

            writer.WriteEndObject();
            writer.Flush();
            stream.WriteByte((byte)'\n');
            writer.Reset();
            if (row % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AssembleAsync(IReadOnlyList<string> parts, Stream output, CancellationToken cancellationToken)
    {
        foreach (var path in parts)
        {
            await using var part = File.OpenRead(path);
            await part.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }
    }
}
