using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Performance;

/// <summary>Finds the prediction and score columns among a model's logged outputs when the caller does not name them.</summary>
public static class OutputColumns
{
    /// <summary>
    /// The named output, else the model's prediction among its single-valued outputs (<see cref="PredictionOutputs"/>:
    /// a label, a prediction, a score, else the first that is not an input passed through).
    /// </summary>
    public static string Prediction(LogChunk chunk, string? named)
    {
        if (named is not null)
        {
            return LogColumns.OutputPrefix + named;
        }

        var scalars = chunk.Columns.Keys
            .Where(k => k.StartsWith(LogColumns.OutputPrefix, StringComparison.Ordinal) && !k.Contains('[', StringComparison.Ordinal))
            .Select(k => k[LogColumns.OutputPrefix.Length..])
            .ToArray();
        var inputs = chunk.Columns.Keys
            .Where(k => k.StartsWith(LogColumns.InputPrefix, StringComparison.Ordinal))
            .Select(k => k[LogColumns.InputPrefix.Length..].Split('[')[0])
            .Distinct()
            .ToArray();
        var index = PredictionOutputs.Pick(scalars, inputs);
        return index >= 0
            ? LogColumns.OutputPrefix + scalars[index]
            : throw new ArgumentException($"model '{chunk.Model}' logs no single-valued output to compare with labels; name one with output=");
    }

    /// <summary>The named score, else an output named like a probability or score: its element [1] when it has two (class 1).</summary>
    public static string? Score(LogChunk chunk, string? named, string prediction)
    {
        if (named is not null)
        {
            return LogColumns.OutputPrefix + named;
        }

        foreach (var key in chunk.Columns.Keys.Where(k => k.StartsWith(LogColumns.OutputPrefix, StringComparison.Ordinal) && k != prediction))
        {
            if (key.Contains("prob", StringComparison.OrdinalIgnoreCase) || key.Contains("score", StringComparison.OrdinalIgnoreCase))
            {
                var stem = key.Split('[')[0];
                return chunk.Columns.ContainsKey(stem + "[1]") ? stem + "[1]" : chunk.Columns.ContainsKey(stem) ? stem : null;
            }
        }

        return null;
    }
}
