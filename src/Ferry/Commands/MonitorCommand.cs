using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Ferry.Monitoring;
using Ferry.Monitoring.Drift;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry monitor drift</c>: asks a server for the drift of a model's recent inputs and shows it as a table or JSON.</summary>
public static class MonitorCommand
{
    public static Command Create() => new("monitor", "Watch models in production.") { Drift(), Alerts() };

    private static Command Drift()
    {
        var model = new Argument<string>("MODEL") { Description = "The model whose inputs to compare." };
        var window = new Option<string>("--window") { Description = "The current window, up to now: 90s, 15m, 1h, 7d (default 1h).", DefaultValueFactory = _ => "1h" };
        var reference = new Option<string>("--reference") { Description = "The reference: a CSV, Parquet or JSONL file (or folder) as the server sees it, dataset:NAME@VERSION for a registered dataset's profile, or 'training' for the model version's training data.", Required = true };
        var version = new Option<string?>("--version") { Description = "Only this version (default: all)." };
        var test = new Option<string?>("--test") { Description = "One test for every feature: ks, wasserstein, jensenshannon, chisquare or psi (default: chosen per feature)." };
        var output = new Option<string>("--output", "-o") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        var server = new Option<string>("--server") { Description = "The Ferry server's HTTP address.", DefaultValueFactory = _ => "http://127.0.0.1:8000" };
        var command = new Command("drift", "Data drift of a model's logged inputs against a reference.") { model, window, reference, version, test, output, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(server)!) };
            var query = $"model={Uri.EscapeDataString(result.GetValue(model)!)}&window={Uri.EscapeDataString(result.GetValue(window)!)}&reference={Uri.EscapeDataString(ReferenceArgument(result.GetValue(reference)!))}";
            query += result.GetValue(version) is { } v ? "&version=" + Uri.EscapeDataString(v) : "";
            query += result.GetValue(test) is { } t ? "&test=" + Uri.EscapeDataString(t) : "";
            using var response = await http.GetAsync("/api/v1/monitoring/drift?" + query, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"ferry monitor drift: {(int)response.StatusCode} {body}");
                return ExitCodes.Failed;
            }

            if (result.GetValue(output)!.Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                Console.WriteLine(body);
                return ExitCodes.Ok;
            }

            var report = JsonSerializer.Deserialize<DriftReport>(body, MonitoringJson.Options)!;
            Show(report);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Files are made absolute (the server resolves them); registry references pass as written.</summary>
    private static string ReferenceArgument(string reference) =>
        reference == "training" || reference.StartsWith("dataset:", StringComparison.Ordinal) ? reference : Path.GetFullPath(reference);

    private static Command Alerts()
    {
        var history = new Option<bool>("--history") { Description = "Show the firings and resolutions recorded, newest first, instead of the rules' current state." };
        var rule = new Option<string?>("--rule") { Description = "With --history: only this rule's events." };
        var limit = new Option<int>("--limit") { Description = "With --history: at most this many events.", DefaultValueFactory = _ => 50 };
        var output = new Option<string>("--output", "-o") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        var server = new Option<string>("--server") { Description = "The Ferry server's HTTP address.", DefaultValueFactory = _ => "http://127.0.0.1:8000" };
        var command = new Command("alerts", "Alert rules and whether they fire (exit code 3 when any does), or their history.") { history, rule, limit, output, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(server)!) };
            var path = result.GetValue(history)
                ? $"/api/v1/monitoring/alerts/history?limit={result.GetValue(limit)}" + (result.GetValue(rule) is { } only ? "&rule=" + Uri.EscapeDataString(only) : "")
                : "/api/v1/monitoring/alerts";
            using var response = await http.GetAsync(path, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"ferry monitor alerts: {(int)response.StatusCode} {body}");
                return ExitCodes.Failed;
            }

            using var document = JsonDocument.Parse(body);
            var json = result.GetValue(output)!.Equals("json", StringComparison.OrdinalIgnoreCase);
            if (result.GetValue(history))
            {
                if (json)
                {
                    Console.WriteLine(body);
                    return ExitCodes.Ok;
                }

                var events = new Table().AddColumns("at", "rule", "state", "value", "condition", "message");
                foreach (var e in document.RootElement.GetProperty("events").EnumerateArray())
                {
                    events.AddRow(
                        Markup.Escape(e.GetProperty("at").GetString() ?? ""),
                        Markup.Escape(e.GetProperty("rule").GetString() ?? ""),
                        e.GetProperty("state").GetString() == "firing" ? "[red]firing[/]" : "resolved",
                        Number(e.GetProperty("value")),
                        Markup.Escape($"{e.GetProperty("op").GetString()} {Number(e.GetProperty("threshold"))}"),
                        Markup.Escape(e.GetProperty("message").GetString() ?? ""));
                }

                AnsiConsole.Write(events);
                return ExitCodes.Ok;
            }

            var alerts = document.RootElement.GetProperty("alerts").EnumerateArray().ToArray();
            var firing = alerts.Count(a => a.GetProperty("firing").GetBoolean());
            if (json)
            {
                Console.WriteLine(body);
            }
            else
            {
                var table = new Table().AddColumns("rule", "model", "kind", "condition", "value", "state", "since", "detail");
                foreach (var a in alerts)
                {
                    var r = a.GetProperty("rule");
                    var kind = r.GetProperty("kind").GetString() + (r.TryGetProperty("metric", out var m) && m.ValueKind == JsonValueKind.String ? " " + m.GetString() : "");
                    table.AddRow(
                        Markup.Escape(r.GetProperty("name").GetString() ?? ""),
                        Markup.Escape(r.GetProperty("model").GetString() ?? ""),
                        Markup.Escape(kind),
                        Markup.Escape($"{r.GetProperty("effective_op").GetString()} {Number(r.GetProperty("threshold"))}"),
                        a.TryGetProperty("last_value", out var v) ? Number(v) : "",
                        a.GetProperty("firing").GetBoolean() ? "[red]firing[/]" : "ok",
                        a.TryGetProperty("since", out var since) && since.ValueKind == JsonValueKind.String ? Markup.Escape(since.GetString()!) : "",
                        Markup.Escape(a.TryGetProperty("last_error", out var error) && error.ValueKind == JsonValueKind.String ? "error: " + error.GetString() : a.TryGetProperty("last_detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : ""));
                }

                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"{alerts.Length} rules, {firing} firing");
            }

            // Scripts can act on the exit code alone: 3 while any rule fires.
            return firing > 0 ? ExitCodes.Firing : ExitCodes.Ok;
        });
        return command;
    }

    private static string Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("G4", CultureInfo.InvariantCulture) : "";

    private static void Show(DriftReport report)
    {
        var table = new Table().AddColumns("feature", "kind", "test", "statistic", "p-value", "threshold", "drift");
        foreach (var f in report.Features)
        {
            table.AddRow(
                Markup.Escape(f.Feature),
                f.Kind.ToString().ToLowerInvariant(),
                f.Result.Test,
                f.Result.Statistic.ToString("G4", CultureInfo.InvariantCulture),
                f.Result.PValue?.ToString("G4", CultureInfo.InvariantCulture) ?? "",
                f.Result.Threshold.ToString("G4", CultureInfo.InvariantCulture),
                f.Result.Drifted ? "[red]yes[/]" : "no");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, $"{report.Model}: {report.CurrentRows} rows from {report.From:u} to {report.To:u}; {report.Features.Count(f => f.Result.Drifted)} of {report.Features.Count} features drifted ({report.DriftedShare:P0}); dataset drift: {(report.DatasetDrift ? "[red]yes[/]" : "no")}");
    }
}
