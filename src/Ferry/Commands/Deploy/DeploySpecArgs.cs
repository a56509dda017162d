using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands.Models;

namespace Ferry.Cli.Commands.Deploy;

/// <summary>Turns the short command-line forms of steps, checks and durations into the API's JSON.</summary>
public static class DeploySpecArgs
{
    /// <summary>
    /// Steps as a comma list: a number sets the candidate's weight, <c>pause</c> waits for a person,
    /// <c>pause:30s</c> waits that long. <c>"10,pause:5m,50,pause"</c>.
    /// </summary>
    public static JsonArray Steps(string text)
    {
        var steps = new JsonArray();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw == "pause")
            {
                steps.Add(new JsonObject { ["pause"] = new JsonObject() });
            }
            else if (raw.StartsWith("pause:", StringComparison.Ordinal))
            {
                steps.Add(new JsonObject { ["pause"] = new JsonObject { ["duration"] = Duration(raw["pause:".Length..], "--steps") } });
            }
            else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                steps.Add(new JsonObject { ["set_weight"] = weight });
            }
            else
            {
                throw new CliException($"--steps: '{raw}' is neither a weight, 'pause' nor 'pause:DURATION'");
            }
        }

        return steps;
    }

    /// <summary>
    /// A check as <c>METRIC:BOUND[:MIN_SAMPLES]</c>, e.g. <c>error_rate:0.01:200</c>; BOUND is fail_above, but for
    /// <c>accuracy</c> (higher is better) fail_below, e.g. <c>accuracy:0.9:50</c>.
    /// </summary>
    public static JsonObject Check(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0] is not ("error_rate" or "latency_p99_ms" or "prediction_drift" or "accuracy" or "mae")
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var failAbove))
        {
            throw new CliException($"--check '{text}': expected METRIC:BOUND[:MIN_SAMPLES] with METRIC error_rate, latency_p99_ms, prediction_drift, mae (BOUND: fail above) or accuracy (BOUND: fail below)");
        }

        var check = new JsonObject { ["metric"] = parts[0], [parts[0] == "accuracy" ? "fail_below" : "fail_above"] = failAbove };
        if (parts.Length == 3)
        {
            check["min_samples"] = int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
                ? min
                : throw new CliException($"--check '{text}': MIN_SAMPLES must be a whole number");
        }

        return check;
    }

    /// <summary>A duration as <c>30s</c>, <c>5m</c>, <c>1h</c> or <c>hh:mm:ss</c>, in the API's <c>hh:mm:ss</c> form.</summary>
    public static string Duration(string text, string option)
    {
        TimeSpan value;
        if (text.Length > 1 && char.IsLetter(text[^1]) && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            value = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                _ => throw new CliException($"{option}: '{text}' has an unknown unit; use s, m or h"),
            };
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            throw new CliException($"{option}: '{text}' is not a duration such as 30s, 5m or 00:05:00");
        }

        return value.ToString("c", CultureInfo.InvariantCulture);
    }
}
