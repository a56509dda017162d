using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Labels;

/// <summary>
/// Labels in an append-only JSON-lines file next to the prediction log (<c>DIR/labels/labels.jsonl</c>). Each post is
/// one append, fsynced before it is acknowledged; a later label for the same prediction replaces an earlier one.
/// A torn last line (a kill mid-append) is skipped when read.
/// </summary>
public sealed class LabelStore
{
    private readonly string _path;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public LabelStore(IOptions<PredictionLogOptions> options)
        : this(Path.Combine(options.Value.Directory, "labels"))
    {
    }

    public LabelStore(string folder)
    {
        _path = Path.Combine(folder, "labels.jsonl");
    }

    public async Task AppendAsync(IReadOnlyList<GroundTruth> labels, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        foreach (var label in labels)
        {
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("request_id", label.RequestId);
                json.WriteNumber("row", label.Row);
                if (label.Label.Text is { } text)
                {
                    json.WriteString("label", text);
                }
                else
                {
                    json.WriteNumber("label", label.Label.Number ?? 0);
                }

                json.WriteNumber("received_ms", label.ReceivedAt.ToUnixTimeMilliseconds());
                json.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            await using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await file.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<Dictionary<(string RequestId, int Row), GroundTruth>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var labels = new Dictionary<(string, int), GroundTruth>();
        if (!File.Exists(_path))
        {
            return labels;
        }

        using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (TryParse(line, out var label))
            {
                labels[(label.RequestId, label.Row)] = label;
            }
        }

        return labels;
    }

    private static bool TryParse(string line, out GroundTruth label)
    {
        label = null!;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var value = root.GetProperty("label");
            label = new GroundTruth(
                root.GetProperty("request_id").GetString() ?? "",
                root.GetProperty("row").GetInt32(),
                value.ValueKind == JsonValueKind.String ? new LabelValue(null, value.GetString()) : new LabelValue(value.GetDouble(), null),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("received_ms").GetInt64()));
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Only a torn last line can be malformed (each line is written whole); it is not a label.
            return false;
        }
    }
}
