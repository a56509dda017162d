using System.Text;
using System.Text.Json;

namespace Ferry.Monitoring.Alerts;

/// <summary>
/// Firings and resolutions in an append-only JSON-lines file, each line fsynced before the event is sent anywhere.
/// A torn last line (a kill mid-append) is skipped when read.
/// </summary>
public sealed class AlertHistory
{
    private readonly string _path;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public AlertHistory(string path)
    {
        _path = path;
    }

    public async Task AppendAsync(AlertEvent alert, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(alert, MonitoringJson.Options);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
            await using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            file.WriteByte((byte)'\n');
            file.Flush(flushToDisk: true);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The newest <paramref name="limit"/> events, newest first, optionally of one rule.</summary>
    public async Task<IReadOnlyList<AlertEvent>> ReadAsync(string? rule, int limit, CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        var events = new List<AlertEvent>();
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var line in await File.ReadAllLinesAsync(_path, Encoding.UTF8, cancellationToken).ConfigureAwait(false))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                try
                {
                    if (JsonSerializer.Deserialize<AlertEvent>(line, MonitoringJson.Options) is { } e && (rule is null || e.Rule == rule))
                    {
                        events.Add(e);
                    }
                }
                catch (JsonException)
                {
                    // A torn last line from a kill mid-append: the event was never acknowledged.
                }
            }
        }
        finally
        {
            _lock.Release();
        }

        events.Reverse();
        return events.Count > limit ? events.GetRange(0, limit) : events;
    }
}
