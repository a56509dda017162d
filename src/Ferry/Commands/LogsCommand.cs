using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Ferry.Monitoring;
using Ferry.Monitoring.Log;
using Ferry.Server;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry logs</c>: the prediction log. <c>export</c> reads the segments directly; <c>tail</c> polls a server.</summary>
public static class LogsCommand
{
    public static Command Create() => new("logs", "Read the prediction log.") { Export(), Tail() };

    private static Command Export()
    {
        var model = new Argument<string>("MODEL") { Description = "The model whose predictions to export." };
        var version = new Option<string?>("--version") { Description = "Only this version (default: all)." };
        var from = new Option<string?>("--from") { Description = "Start of the range, ISO 8601 (default: the beginning)." };
        var to = new Option<string?>("--to") { Description = "End of the range, exclusive, ISO 8601 (default: now)." };
        var output = new Option<string>("--output", "-o") { Description = "The file to write: .parquet or .csv.", Required = true };
        var logDir = new Option<string>("--log-dir") { Description = "The prediction log folder (default <home>/predictions).", DefaultValueFactory = _ => Path.Combine(ServerOptions.DefaultHome(), "predictions") };
        var command = new Command("export", "Export a model's logged predictions to Parquet or CSV (sealed segments only).") { model, version, from, to, output, logDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(output)!;
            var range = new LogRange(result.GetValue(model)!, result.GetValue(version), Time(result.GetValue(from)) ?? DateTimeOffset.UnixEpoch, Time(result.GetValue(to)) ?? DateTimeOffset.UtcNow);
            var csv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
            var rows = await PredictionExporter.ExportAsync(new PredictionLogReader(result.GetValue(logDir)!), range, path, csv, cancellationToken);
            Console.WriteLine($"exported {rows} predictions of {range.Model} to {path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Tail()
    {
        var model = new Argument<string>("MODEL") { Description = "The model to watch." };
        var server = new Option<string>("--server") { Description = "The Ferry server's HTTP address.", DefaultValueFactory = _ => "http://127.0.0.1:8000" };
        var interval = new Option<string>("--interval") { Description = "How often to poll (default 2s).", DefaultValueFactory = _ => "2s" };
        var command = new Command("tail", "Show a model's predictions as they are logged (polls the server until Ctrl+C).") { model, server, interval };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(server)!) };
            var name = Uri.EscapeDataString(result.GetValue(model)!);
            var every = Durations.Parse(result.GetValue(interval)!);
            long from = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
            var seen = new HashSet<(string, int)>();
            using var timer = new PeriodicTimer(every);
            do
            {
                var rows = await http.GetFromJsonAsync<List<LoggedPrediction>>($"/api/v1/monitoring/predictions?model={name}&from={from}&limit=1000", MonitoringJson.Options, cancellationToken) ?? [];
                foreach (var row in rows.Where(r => seen.Add((r.RequestId, r.Row))))
                {
                    Console.WriteLine(TailLine.Format(row));
                    from = Math.Max(from, row.Timestamp.ToUnixTimeMilliseconds());
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static DateTimeOffset? Time(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
