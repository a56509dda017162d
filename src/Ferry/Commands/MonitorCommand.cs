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
    public static Command Create() => new("monitor", "Watch models in production.") { Drift() };

    private static Command Drift()
    {
        var model = new Argument<string>("MODEL") { Description = "The model whose inputs to compare." };
        var window = new Option<string>("--window") { Description = "The current window, up to now: 90s, 15m, 1h, 7d (default 1h).", DefaultValueFactory = _ => "1h" };
        var reference = new Option<string>("--reference") { Description = "A CSV, Parquet or JSONL file (or folder) with the reference rows, as the server sees it.", Required = true };
        var version = new Option<string?>("--version") { Description = "Only this version (default: all)." };
        var test = new Option<string?>("--test") { Description = "One test for every feature: ks, wasserstein, jensenshannon, chisquare or psi (default: chosen per feature)." };
        var output = new Option<string>("--output", "-o") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        var server = new Option<string>("--server") { Description = "The Ferry server's HTTP address.", DefaultValueFactory = _ => "http://127.0.0.1:8000" };
        var command = new Command("drift", "Data drift of a model's logged inputs against a reference.") { model, window, reference, version, test, output, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(server)!) };
            var query = $"model={Uri.EscapeDataString(result.GetValue(model)!)}&window={Uri.EscapeDataString(result.GetValue(window)!)}&reference={Uri.EscapeDataString(Path.GetFullPath(result.GetValue(reference)!))}";
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
