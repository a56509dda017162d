namespace Ferry.Monitoring.Log;

/// <summary>Turns log chunks into rows for the query API, oldest first, at most <c>limit</c>.</summary>
public static class PredictionQuery
{
    public static async Task<List<LoggedPrediction>> RunAsync(PredictionLogReader reader, LogRange range, int limit, CancellationToken cancellationToken)
    {
        var found = new List<LoggedPrediction>();
        await foreach (var chunk in reader.ReadAsync(range, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < chunk.RowCount; i++)
            {
                if (chunk.InRange(i, range.FromMs, range.ToMs))
                {
                    found.Add(ToRow(chunk, i));
                }
            }
        }

        // Segments of several versions interleave in time; the newest `limit` rows are the ones a tail wants.
        // A stable sort: rows of one request keep their order.
        found = found.OrderBy(r => r.Timestamp).ToList();
        return found.Count > limit ? found.GetRange(found.Count - limit, limit) : found;
    }

    private static LoggedPrediction ToRow(LogChunk chunk, int i)
    {
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, values) in chunk.Columns)
        {
            var value = values.GetValue(i);
            if (name.StartsWith(LogColumns.InputPrefix, StringComparison.Ordinal))
            {
                inputs[name[LogColumns.InputPrefix.Length..]] = value;
            }
            else
            {
                outputs[name[LogColumns.OutputPrefix.Length..]] = value;
            }
        }

        return new LoggedPrediction(chunk.RequestIds[i], chunk.Rows[i], DateTimeOffset.FromUnixTimeMilliseconds(chunk.TimestampsMs[i]), chunk.Model, chunk.Version, chunk.LatenciesMs[i], chunk.Statuses[i], inputs, outputs);
    }
}
