using System.Globalization;
using System.Text.Json;
using Ferry.Batch.Io;
using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Drift;

/// <summary>
/// Builds a <see cref="ReferenceProfile"/> from columns of values. Text columns whose every value parses as a number
/// are numeric (CSV holds numbers as text); other text is categorical, and so are numbers with at most
/// <see cref="MaxCategoricalNumbers"/> distinct values (Evidently's rule: a 0/1 flag or a passenger count is a
/// category, not a distribution). Numeric features get
/// <see cref="DefaultBins"/> equal-width bins over the reference's range.
/// </summary>
public static class ReferenceProfileBuilder
{
    public const int DefaultBins = 100;

    public const int MaxCategoricalNumbers = 5;

    /// <summary>Profiles every column of a CSV, Parquet or JSONL file (or folder of them).</summary>
    public static async Task<ReferenceProfile> FromFileAsync(string path, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
        foreach (var file in InputFile.List(path))
        {
            string[] names;
            await using (var probe = await file.OpenAsync([], 1, cancellationToken).ConfigureAwait(false))
            {
                names = (await probe.ReadAsync(false, cancellationToken).ConfigureAwait(false))?.FileColumns.ToArray() ?? [];
            }

            await using var reader = await file.OpenAsync(names, 65_536, cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(true, cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                foreach (var (name, column) in chunk.Columns)
                {
                    var list = values.TryGetValue(name, out var l) ? l : values[name] = [];
                    for (var i = 0; i < chunk.RowCount; i++)
                    {
                        var value = column.Values.GetValue(i);
                        list.Add(column.Kind == ColumnKind.Json && value is string json ? FromJson(json) : value);
                    }
                }
            }
        }

        return FromValues(path, values.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<object?>)kv.Value));
    }

    /// <summary>Profiles the model inputs logged in a baseline window.</summary>
    public static async Task<ReferenceProfile> FromLogAsync(PredictionLogReader reader, LogRange range, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
        await foreach (var chunk in reader.ReadAsync(range, cancellationToken).ConfigureAwait(false))
        {
            foreach (var (name, column) in chunk.Columns)
            {
                if (!name.StartsWith(LogColumns.InputPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var key = name[LogColumns.InputPrefix.Length..];
                var list = values.TryGetValue(key, out var l) ? l : values[key] = [];
                for (var i = 0; i < chunk.RowCount; i++)
                {
                    if (chunk.InRange(i, range.FromMs, range.ToMs))
                    {
                        list.Add(column.GetValue(i));
                    }
                }
            }
        }

        return FromValues($"log:{range.Model}:{range.From:O}/{range.To:O}", values.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<object?>)kv.Value));
    }

    public static ReferenceProfile FromValues(string source, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int bins = DefaultBins)
    {
        var features = new Dictionary<string, FeatureProfile>(StringComparer.Ordinal);
        long rows = 0;
        foreach (var (name, values) in columns)
        {
            rows = Math.Max(rows, values.Count);
            var numbers = AsNumbers(values);
            features[name] = numbers is not null && !FewValues(numbers) ? Numeric(name, numbers, bins) : Categorical(name, values);
        }

        return new ReferenceProfile { Source = source, RowCount = rows, Features = features };
    }

    public static FeatureProfile Numeric(string name, IReadOnlyList<double> values, int bins = DefaultBins)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        var count = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                sum += v;
                count++;
            }
        }

        if (count == 0)
        {
            min = max = 0;
        }

        var edges = new double[(max > min ? bins : 1) + 1];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = i == edges.Length - 1 ? max : min + ((max - min) * i / (edges.Length - 1));
        }

        var sketch = new NumericSketch(name, edges);
        double mean = count > 0 ? sum / count : 0, squares = 0;
        foreach (var v in values)
        {
            sketch.Add(v);
            if (!double.IsNaN(v))
            {
                squares += (v - mean) * (v - mean);
            }
        }

        // Population standard deviation (ddof 0), as numpy's default that Evidently divides by.
        return new FeatureProfile { Name = name, Kind = FeatureKind.Numeric, Sketch = sketch, Mean = mean, StandardDeviation = count > 0 ? Math.Sqrt(squares / count) : 0 };
    }

    private static bool FewValues(List<double> numbers)
    {
        var distinct = new HashSet<double>();
        foreach (var n in numbers)
        {
            if (!double.IsNaN(n) && distinct.Add(n) && distinct.Count > MaxCategoricalNumbers)
            {
                return false;
            }
        }

        return true;
    }

    private static FeatureProfile Categorical(string name, IReadOnlyList<object?> values)
    {
        var sketch = new CategoricalSketch(name);
        foreach (var v in values)
        {
            sketch.Add(CategoryOf(v));
        }

        return new FeatureProfile { Name = name, Kind = FeatureKind.Categorical, Sketch = sketch };
    }

    /// <summary>The category a value falls in: text as it is, numbers in their shortest round-trip form.</summary>
    public static string? CategoryOf(object? value) => value switch
    {
        null => null,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed.ToString("R", CultureInfo.InvariantCulture),
        string s => s.Length == 0 ? null : s,
        double d => double.IsNaN(d) ? null : d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>The values as numbers (NaN where missing), or null if any present value is not a number.</summary>
    private static List<double>? AsNumbers(IReadOnlyList<object?> values)
    {
        var numbers = new List<double>(values.Count);
        var any = false;
        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                case string { Length: 0 }:
                    numbers.Add(double.NaN);
                    break;
                case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                    numbers.Add(parsed);
                    any = true;
                    break;
                case string or bool:
                    return null;
                case IConvertible c:
                    numbers.Add(c.ToDouble(CultureInfo.InvariantCulture));
                    any = true;
                    break;
                default:
                    return null;
            }
        }

        return any ? numbers : null;
    }

    private static object? FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind switch
        {
            JsonValueKind.String => doc.RootElement.GetString(),
            JsonValueKind.Number => doc.RootElement.GetDouble(),
            JsonValueKind.Null => null,
            _ => doc.RootElement.GetRawText(),
        };
    }
}
