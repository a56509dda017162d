using System.Text.Json;

namespace Ferry.Monitoring.Alerts;

/// <summary>
/// Reads alert rules from a JSON file: <c>{"evaluation_interval": "1m", "rules": [{"name": ..., "model": ...,
/// "kind": ..., "metric": ..., "op": ..., "threshold": ..., "window": "1h", "min_samples": ..., "reference": ...}]}</c>.
/// Durations are written as <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>. A mistake is reported with the rule's
/// index and the field's name.
/// </summary>
public static class AlertRulesFile
{
    public static void Apply(string path, AlertOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{path}: expected an object with 'rules'");
            }

            if (root.TryGetProperty("evaluation_interval", out var interval))
            {
                options.EvaluationInterval = Duration(interval, $"{path}: 'evaluation_interval'");
            }

            if (!root.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{path}: 'rules' must be an array");
            }

            var index = 0;
            foreach (var rule in rules.EnumerateArray())
            {
                options.Rules.Add(Rule(rule, $"{path}: rule {index++}"));
            }
        }
    }

    private static AlertRule Rule(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected an object");
        }

        foreach (var property in e.EnumerateObject())
        {
            if (property.Name is not ("name" or "model" or "version" or "kind" or "metric" or "op" or "threshold" or "window" or "min_samples" or "reference"))
            {
                throw new FormatException($"{where}: unknown field '{property.Name}'");
            }
        }

        var threshold = e.TryGetProperty("threshold", out var t) && t.ValueKind == JsonValueKind.Number
            ? t.GetDouble()
            : throw new FormatException($"{where}: 'threshold' (a number) is required");
        var rule = new AlertRule
        {
            Name = Text(e, "name", where) ?? "",
            Model = Text(e, "model", where) ?? "",
            Version = Text(e, "version", where),
            Kind = Text(e, "kind", where) ?? "",
            Metric = Text(e, "metric", where),
            Op = Text(e, "op", where),
            Threshold = threshold,
            Window = e.TryGetProperty("window", out var w) ? Duration(w, $"{where}: 'window'") : TimeSpan.FromHours(1),
            MinSamples = e.TryGetProperty("min_samples", out var m) ? (m.TryGetInt64(out var n) ? n : throw new FormatException($"{where}: 'min_samples' must be a whole number")) : 1,
            Reference = Text(e, "reference", where),
        };
        var problem = AlertOptionsValidator.Problems(rule).FirstOrDefault();
        return problem is null ? rule : throw new FormatException($"{where} ('{rule.Name}'): {problem}");
    }

    private static string? Text(JsonElement e, string name, string where) =>
        !e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"{where}: '{name}' must be a string");

    private static TimeSpan Duration(JsonElement e, string what)
    {
        try
        {
            return e.ValueKind switch
            {
                JsonValueKind.String => Durations.Parse(e.GetString()!),
                JsonValueKind.Number => TimeSpan.FromSeconds(e.GetDouble()),
                _ => throw new FormatException("expected a duration such as 15m"),
            };
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{what}: {ex.Message}", ex);
        }
    }
}
