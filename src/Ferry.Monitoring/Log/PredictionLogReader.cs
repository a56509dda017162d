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

    public async IAsyncEnumerable<LogChunk> ReadAsync(LogRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                    foreach (var chunk in await ReadFileAsync(file, cancellationToken).ConfigureAwait(false))
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
                    open.AddRange(await ReadFileAsync(file, cancellationToken).ConfigureAwait(false));
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

    private async Task<List<LogChunk>> ReadFileAsync(string path, CancellationToken cancellationToken)
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
                    columns[field.Name] = await ParquetColumns.ReadAsync(group, field, rows, cancellationToken).ConfigureAwait(false);
                }

                chunks.Add(ToChunk(columns, rows));
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            MonitoringLog.Unreadable(_logger, e, path);
        }

        return chunks;
    }

    private static LogChunk ToChunk(Dictionary<string, Array> columns, int rows)
    {
        var models = (string?[])columns[LogColumns.Model];
        var versions = (string?[])columns[LogColumns.Version];
        var model = new Dictionary<string, Array>(StringComparer.Ordinal);
        foreach (var (name, values) in columns)
        {
            if (name.StartsWith(LogColumns.InputPrefix, StringComparison.Ordinal) || name.StartsWith(LogColumns.OutputPrefix, StringComparison.Ordinal))
            {
                model[name] = values;
            }
        }

        return new LogChunk(
            rows > 0 ? models[0] ?? "" : "",
            rows > 0 ? versions[0] ?? "" : "",
            rows,
            ((string?[])columns[LogColumns.RequestId]).Select(s => s ?? "").ToArray(),
            (int[])columns[LogColumns.Row],
            (long[])columns[LogColumns.TimestampMs],
            (double[])columns[LogColumns.LatencyMs],
            ((string?[])columns[LogColumns.Status]).Select(s => s ?? "").ToArray(),
            model);
    }
}
