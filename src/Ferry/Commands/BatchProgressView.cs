using System.Globalization;
using Ferry.Batch;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>Shows a run's progress on stderr: a live bar on a terminal, a plain line every few seconds otherwise.</summary>
public static class BatchProgressView
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    public static async Task<BatchSummary> RunAsync(Func<IProgress<BatchProgress>, Task<BatchSummary>> run, CancellationToken cancellationToken)
    {
        if (Console.IsErrorRedirected)
        {
            var last = TimeSpan.Zero;
            var plain = new Progress<BatchProgress>(p =>
            {
                if (p.Elapsed - last >= PlainInterval)
                {
                    last = p.Elapsed;
                    Console.Error.WriteLine(Line(p));
                }
            });
            return await run(plain);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("scoring", maxValue: 1);
                var bar = new Progress<BatchProgress>(p =>
                {
                    task.IsIndeterminate = p.RowsTotal is null;
                    task.MaxValue = Math.Max(p.RowsTotal ?? p.RowsDone, 1);
                    task.Value = p.RowsDone;
                    task.Description = Line(p);
                });
                var summary = await run(bar);
                task.Value = task.MaxValue;
                return summary;
            });
    }

    public static string Format(BatchSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Model}:{s.ModelVersion} -> {s.Output}\nrows in {s.RowsIn:N0}, out {s.RowsOut:N0}, skipped {s.Skipped:N0}, null outputs {s.Nulled:N0}; {s.Parts} parts ({s.PartsResumed} resumed); {s.Seconds:F1} s, {s.RowsPerSecond:N0} rows/s")
        + (s.RunId is { } run ? $"\nrun {run}" : "")
        + (s.OutputDataset is { } dataset ? $"\noutput registered as dataset {dataset}" : "");

    private static string Line(BatchProgress p)
    {
        var eta = p.RowsTotal is { } total && p.RowsPerSecond > 0 ? TimeSpan.FromSeconds((total - p.RowsDone) / p.RowsPerSecond).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "?";
        var of = p.RowsTotal is { } t ? string.Create(CultureInfo.InvariantCulture, $"/{t:N0}") : "";
        return string.Create(CultureInfo.InvariantCulture, $"rows {p.RowsDone:N0}{of}, {p.RowsPerSecond:N0} rows/s, ETA {eta}");
    }
}
