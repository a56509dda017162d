using System.Runtime.CompilerServices;
using Ferry.Batch.Io;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parquet;
using Parquet.Schema;

namespace Ferry.Monitoring.Log;

/// <summary>
/// Reads the log's segments for a model and time range, row group by row group. Sealed segments are read as they
/// are; open ones (flushed but not sealed) only when <c>includeOpen</c>, under the writer's gate, so the server's
/// queries see rows within one flush interval. Unreadable files are skipped with a warning, never fatal.
/// </summary>
public sealed class PredictionLogReader
{
    private readonly string _root;
    private readonly SegmentGate? _gate;
    private readonly ILogger _logger;

    public PredictionLogReader(IOptions<PredictionLogOptions> options, SegmentGate gate, ILogger<PredictionLogReader> logger)
        : this(options.Value.Directory, gate, logger)
    {
    }

    /// <summary>A reader of a log folder from another process (the CLI): sealed segments only.</summary>
    public PredictionLogReader(string root, SegmentGate? gate = null, ILogger? logger = null)
    {
        _root = root;
        _gate = gate;
        _logger = logger ?? NullLogger.Instance;
    }

    public IAsyncEnumerable<LogChunk> ReadAsync(LogRange range, CancellationToken cancellationToken) => ReadAsync(range, null, cancellationToken);

    /// <param name="only">
    /// Model columns to read (e.g. the features a drift check needs); the others, and the text columns request id,
    /// model, version and status, are then skipped, which is most of the decoding. Null reads everything.
    /// </param>
    public async IAsyncEnumerable<LogChunk> ReadAsync(LogRange range, IReadOnlySet<string>? only, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var modelFolder = Path.Combine(_root, range.Model);
        if (!Directory.Exists(modelFolder))
        {
            yield break;
        }

        var folders = range.Version is { } v ? [Path.Combine(modelFolder, v)] : Directory.GetDirectories(modelFolder).Order(StringComparer.Ordinal).ToArray();
        foreach (var folder in folders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*" + SegmentFiles.SealedExtension).Order(StringComparer.Ordinal))
            {
                if (SegmentFiles.TryParseRange(file, out var first, out var last) && last >= range.FromMs && first < range.ToMs)
                {
                    foreach (var chunk in await ReadFileAsync(file, only, cancellationToken).ConfigureAwait(false))
                    {
                        yield return chunk;
                    }
                }
            }

            if (_gate is null)
            {
                continue;
            }

            await _gate.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            List<LogChunk> open = [];
            try
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*" + SegmentFiles.OpenExtension))
                {
                    open.AddRange(await ReadFileAsync(file, only, cancellationToken).ConfigureAwait(false));
                }
            }
            finally
            {
                _gate.Lock.Release();
            }

            foreach (var chunk in open)
            {
                yield return chunk;
            }
        }
    }

    private async Task<List<LogChunk>> ReadFileAsync(string path, IReadOnlySet<string>? only, CancellationToken cancellationToken)
    {
        var chunks = new List<LogChunk>();
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using var reader = await ParquetReader.CreateAsync(stream, null, false, cancellationToken).ConfigureAwait(false);
            var fields = reader.Schema.DataFields;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var rows = (int)group.RowCount;
                var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
                foreach (var field in fields)
                {
                    if (only is not null && !only.Contains(field.Name) && field.Name is not (LogColumns.TimestampMs or LogColumns.Row))
                    {
                        continue;
                    }

                    columns[field.Name] = await ParquetColumns.ReadAsync(group, field, rows, cancellationToken).ConfigureAwait(false);
                }

                chunks.Add(ToChunk(columns, rows, path));
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            MonitoringLog.Unreadable(_logger, e, path);
        }

        return chunks;
    }

    private static LogChunk ToChunk(Dictionary<string, Array> columns, int rows, string path)
    {
        // MODEL/VERSION/segment: the folders name what every row of the segment shares.
        var versionFolder = Path.GetDirectoryName(path)!;
        var version = Path.GetFileName(versionFolder);
        var model = Path.GetFileName(Path.GetDirectoryName(versionFolder)!);
        var modelColumns = new Dictionary<string, Array>(StringComparer.Ordinal);
        foreach (var (name, values) in columns)
        {
            if (name.StartsWith(LogColumns.InputPrefix, StringComparison.Ordinal) || name.StartsWith(LogColumns.OutputPrefix, StringComparison.Ordinal))
            {
                modelColumns[name] = values;
            }
        }

        return new LogChunk(
            model,
            version,
            rows,
            columns.GetValueOrDefault(LogColumns.RequestId) is string?[] ids ? Array.ConvertAll(ids, s => s ?? "") : [],
            (int[])columns[LogColumns.Row],
            (long[])columns[LogColumns.TimestampMs],
            columns.GetValueOrDefault(LogColumns.LatencyMs) as double[] ?? [],
            columns.GetValueOrDefault(LogColumns.Status) is string?[] statuses ? Array.ConvertAll(statuses, s => s ?? "") : [],
            modelColumns);
    }
}
