using Microsoft.Extensions.Logging;
using Ferry.Batch.Io;
using Parquet;

namespace Ferry.Monitoring.Log;

/// <summary>
/// At start, seals the open segments a killed process left behind. Each flush leaves a whole Parquet file, so a
/// segment is readable unless the kill came in the middle of a flush; such a file is renamed <c>.corrupt</c>, kept for
/// inspection and ignored by readers.
/// </summary>
public static class SegmentRecovery
{
    public static async Task RecoverAsync(string root, ILogger logger, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(root, "*" + SegmentFiles.OpenExtension, SearchOption.AllDirectories).ToArray())
        {
            try
            {
                var (first, last) = await ReadRangeAsync(path, cancellationToken).ConfigureAwait(false);
                File.Move(path, SegmentFiles.SealedName(Path.GetDirectoryName(path)!, first, last));
                MonitoringLog.Recovered(logger, path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                var corrupt = path[..^SegmentFiles.OpenExtension.Length] + SegmentFiles.CorruptExtension;
                File.Move(path, corrupt, overwrite: true);
                MonitoringLog.RecoveryFailed(logger, e, path, corrupt);
            }
        }
    }

    private static async Task<(long First, long Last)> ReadRangeAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, null, false, cancellationToken).ConfigureAwait(false);
        var field = reader.Schema.DataFields.First(f => f.Name == LogColumns.TimestampMs);
        long first = long.MaxValue, last = long.MinValue;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var column = (long[])await ParquetColumns.ReadAsync(group, field, (int)group.RowCount, cancellationToken).ConfigureAwait(false);
            foreach (var ms in column)
            {
                first = Math.Min(first, ms);
                last = Math.Max(last, ms);
            }
        }

        return first <= last ? (first, last) : throw new InvalidDataException("segment holds no rows");
    }
}
