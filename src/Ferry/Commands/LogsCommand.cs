using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Cli.Commands.Models;
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
        command.SetAction((result, cancellationToken) => ApiOptions.RunAsync(result, async () =>
        {
            var path = result.GetValue(output)!;
            var range = new LogRange(result.GetValue(model)!, result.GetValue(version), Time(result.GetValue(from), "--from") ?? DateTimeOffset.UnixEpoch, Time(result.GetValue(to), "--to") ?? DateTimeOffset.UtcNow);
            var csv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
            if (!csv && !path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"--output: {path} must end in .parquet or .csv (the format it is written in)");
            }

            var folder = result.GetValue(logDir)!;
            if (!Directory.Exists(folder))
            {
                throw new CliException($"--log-dir: {folder} does not exist (the prediction log is <home>/predictions of the server that wrote it)");
            }

            var rows = await PredictionExporter.ExportAsync(new PredictionLogReader(folder), range, path, csv, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"exported {rows} predictions of {range.Model} to {path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Tail()
    {
        var api = new ApiOptions();
        var model = new Argument<string>("MODEL") { Description = "The model to watch." };
        var interval = new Option<string>("--interval") { Description = "How often to poll (default 2s).", DefaultValueFactory = _ => "2s" };
        var command = new Command("tail", "Show a model's predictions as they are logged (polls the server until Ctrl+C).") { model, interval, api.Server, api.Token };
        command.SetAction((result, cancellationToken) => ApiOptions.RunAsync(result, async () =>
        {
            TimeSpan every;
            try
            {
                every = Durations.Parse(result.GetValue(interval)!);
            }
            catch (FormatException e)
            {
                throw new CliException($"--interval: {e.Message}");
            }

            using var client = api.Client(result, "api/v1/monitoring/");
            var name = Uri.EscapeDataString(result.GetValue(model)!);
            var output = result.InvocationConfiguration.Output;
            long from = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
            var seen = new HashSet<(string, int)>();
            using var timer = new PeriodicTimer(every);
            try
            {
                do
                {
                    var answer = await client.GetAsync($"predictions?model={name}&from={from.ToString(CultureInfo.InvariantCulture)}&limit=1000", cancellationToken);
                    foreach (var row in answer.Deserialize<List<LoggedPrediction>>(MonitoringJson.Options) ?? [])
                    {
                        if (seen.Add((row.RequestId, row.Row)))
                        {
                            await output.WriteLineAsync(TailLine.Format(row));
                            from = Math.Max(from, row.Timestamp.ToUnixTimeMilliseconds());
                        }
                    }
                }
                while (await timer.WaitForNextTickAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: the normal way to stop.
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static DateTimeOffset? Time(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw new CliException($"{option}: '{text}' is not a time; give ISO 8601, e.g. 2026-03-02T09:00:00Z");
}
