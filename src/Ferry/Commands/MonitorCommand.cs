using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands.Models;
using Ferry.Monitoring;
using Ferry.Monitoring.Drift;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry monitor drift</c> and <c>ferry monitor alerts</c>: ask a server (with a reader token when it has auth on) for the
/// drift of a model's recent inputs or the state of its alert rules, and show them as a table or JSON.
/// </summary>
public static class MonitorCommand
{
    /// <summary>The monitoring API under the server's address.</summary>
    private const string Api = "api/v1/monitoring/";

    public static Command Create() => new("monitor", "Watch models in production.") { Drift(), Alerts() };

    private static Command Drift()
    {
        var api = new ApiOptions();
        var model = new Argument<string>("MODEL") { Description = "The model whose inputs to compare." };
        var window = new Option<string>("--window") { Description = "The current window, up to now: 90s, 15m, 1h, 7d (default 1h).", DefaultValueFactory = _ => "1h" };
        var reference = new Option<string>("--reference") { Description = "The reference: a CSV, Parquet or JSONL file (or folder) as the server sees it, dataset:NAME@VERSION for a registered dataset's profile, or 'training' for the model version's training data.", Required = true };
        var version = new Option<string?>("--version") { Description = "Only this version (default: all)." };
        var test = new Option<string?>("--test") { Description = "One test for every feature: ks, wasserstein, jensenshannon, chisquare or psi (default: chosen per feature)." };
        var output = OutputOption();
        var command = new Command("drift", "Data drift of a model's logged inputs against a reference.") { model, window, reference, version, test, output, api.Server, api.Token };
        command.SetAction((result, cancellationToken) => ApiOptions.RunAsync(result, async () =>
        {
            using var client = api.Client(result, Api);
            var query = $"model={Uri.EscapeDataString(result.GetValue(model)!)}&window={Uri.EscapeDataString(result.GetValue(window)!)}&reference={Uri.EscapeDataString(ReferenceArgument(result.GetValue(reference)!))}";
            query += result.GetValue(version) is { } v ? "&version=" + Uri.EscapeDataString(v) : "";
            query += result.GetValue(test) is { } t ? "&test=" + Uri.EscapeDataString(t) : "";
            var answer = await client.GetAsync("drift?" + query, cancellationToken);
            if (IsJson(result, output))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(answer.ToJsonString());
                return ExitCodes.Ok;
            }

            Show(ApiOptions.Console(result), answer.Deserialize<DriftReport>(MonitoringJson.Options)!);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary><c>--output</c>/<c>-o</c>: table (default) or json.</summary>
    private static Option<string> OutputOption()
    {
        var output = new Option<string>("--output", "-o") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        return output;
    }

    private static bool IsJson(ParseResult result, Option<string> output) => result.GetValue(output) == "json";

    /// <summary>Files are made absolute (the server resolves them); registry references pass as written.</summary>
    private static string ReferenceArgument(string reference) =>
        reference == "training" || reference.StartsWith("dataset:", StringComparison.Ordinal) ? reference : Path.GetFullPath(reference);

    private static Command Alerts()
    {
        var api = new ApiOptions();
        var history = new Option<bool>("--history") { Description = "Show the firings and resolutions recorded, newest first, instead of the rules' current state." };
        var rule = new Option<string?>("--rule") { Description = "With --history: only this rule's events." };
        var limit = new Option<int>("--limit") { Description = "With --history: at most this many events.", DefaultValueFactory = _ => 50 };
        var output = OutputOption();
        var command = new Command("alerts", "Alert rules and whether they fire (exit code 3 when any does), or their history.") { history, rule, limit, output, api.Server, api.Token };
        command.SetAction((result, cancellationToken) => ApiOptions.RunAsync(result, async () =>
        {
            using var client = api.Client(result, Api);
            var console = ApiOptions.Console(result);
            var json = IsJson(result, output);
            if (result.GetValue(history))
            {
                var recorded = await client.GetAsync($"alerts/history?limit={result.GetValue(limit)}" + (result.GetValue(rule) is { } only ? "&rule=" + Uri.EscapeDataString(only) : ""), cancellationToken);
                if (json)
                {
                    await result.InvocationConfiguration.Output.WriteLineAsync(recorded.ToJsonString());
                    return ExitCodes.Ok;
                }

                var table = ApiOptions.Table("at", "rule", "state", "value", "condition", "message");
                foreach (var e in recorded["events"]?.AsArray() ?? [])
                {
                    ApiOptions.Row(table, ApiOptions.Time(e!["at"]), ApiOptions.Text(e["rule"]), ApiOptions.Text(e["state"]), Number(e["value"]),
                        $"{ApiOptions.Text(e["op"])} {Number(e["threshold"])}", ApiOptions.Text(e["message"]));
                }

                console.Write(table);
                return ExitCodes.Ok;
            }

            var state = await client.GetAsync("alerts", cancellationToken);
            var alerts = state["alerts"]?.AsArray() ?? [];
            var firing = alerts.Count(a => a!["firing"]?.GetValue<bool>() == true);
            if (json)
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(state.ToJsonString());
            }
            else
            {
                var table = new Table().AddColumns("rule", "model", "kind", "condition", "value", "state", "since", "detail");
                foreach (var a in alerts)
                {
                    var r = a!["rule"]!;
                    var kind = ApiOptions.Text(r["kind"]) + (r["metric"] is JsonValue metric ? " " + ApiOptions.Text(metric) : "");
                    var detail = a["last_error"] is JsonValue error ? "error: " + ApiOptions.Text(error) : ApiOptions.Text(a["last_detail"]);
                    ApiOptions.Row(table, ApiOptions.Text(r["name"]), ApiOptions.Text(r["model"]), kind, $"{ApiOptions.Text(r["effective_op"])} {Number(r["threshold"])}",
                        Number(a["last_value"]), a["firing"]?.GetValue<bool>() == true ? "firing" : "ok", a["since"] is null ? "" : ApiOptions.Time(a["since"]), detail);
                }

                console.Write(table);
                console.WriteLine($"{alerts.Count} rules, {firing} firing");
            }

            // Scripts can act on the exit code alone: 3 while any rule fires.
            return firing > 0 ? ExitCodes.Firing : ExitCodes.Ok;
        }));
        return command;
    }

    private static string Number(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<double>(out var x) ? x.ToString("G4", CultureInfo.InvariantCulture) : "";

    private static void Show(IAnsiConsole console, DriftReport report)
    {
        // A feature's name is never broken across lines: Spectre narrows the number columns first.
        var table = new Table().AddColumns(new TableColumn("feature").NoWrap(), new TableColumn("kind").NoWrap(), new TableColumn("test").NoWrap())
            .AddColumns("statistic", "p-value", "limit", "drift");
        foreach (var f in report.Features)
        {
            table.AddRow(
                Markup.Escape(f.Feature),
                f.Kind.ToString().ToLowerInvariant(),
                f.Result.Test,
                f.Result.Statistic.ToString("G4", CultureInfo.InvariantCulture),
                f.Result.PValue?.ToString("G4", CultureInfo.InvariantCulture) ?? "",
                f.Result.Threshold.ToString("G4", CultureInfo.InvariantCulture),
                f.Result.Drifted ? "yes" : "no");
        }

        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Model}: {report.CurrentRows} rows from {report.From:u} to {report.To:u}; {report.Features.Count(f => f.Result.Drifted)} of {report.Features.Count} features drifted ({report.DriftedShare:P0}); dataset drift: {(report.DatasetDrift ? "yes" : "no")}"));
    }
}
