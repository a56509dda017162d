using System.CommandLine;
using Ferry.Tracking.Lineage;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry lineage model NAME VERSION</c> (upstream) and <c>ferry lineage dataset NAME VERSION</c> (downstream).</summary>
public static class LineageCommand
{
    public static Command Create() => new("lineage", "Show where a model version came from, or where a dataset version went.")
    {
        Model(),
        Dataset(),
    };

    private static Command Model()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name");
        var version = new Argument<long>("version");
        var command = new Command("model", "The run and datasets behind a model version, and the batch runs that used it.") { name, version };
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await CliErrors.RunAsync("ferry lineage model", async () =>
        {
            await using var metadata = await store.OpenAsync(result, cancellationToken);
            var up = await new LineageService(metadata).UpstreamAsync(result.GetValue(name)!, result.GetValue(version), cancellationToken);
            Console.WriteLine($"model {up.ModelName} version {up.Version}");
            Console.WriteLine(up.Run is { } run
                ? $"  run {run.RunId} ({run.Name}, {run.Status}) in experiment {run.ExperimentId}"
                : $"  run {up.SourceRunId ?? "(none recorded)"}");
            foreach (var d in up.Datasets)
            {
                Console.WriteLine(Describe(d, "  "));
            }

            foreach (var use in up.UsedBy)
            {
                Console.WriteLine($"  used by run {use.Run.RunId} ({use.Run.Name}, {use.Run.Status}) in experiment {use.Run.ExperimentId}");
                foreach (var d in use.Datasets)
                {
                    Console.WriteLine(Describe(d, "    "));
                }
            }
        }));
        return command;
    }

    private static string Describe(LineageDataset d, string indent) => d.Dataset is { } ds
        ? $"{indent}dataset {ds.Name} version {ds.Version} [{d.Context}] {ds.Digest}"
        : $"{indent}dataset {d.Id} (not registered) [{d.Context}]";

    private static Command Dataset()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name");
        var version = new Argument<long>("version");
        var command = new Command("dataset", "The runs that used a dataset version and the model versions built from it.") { name, version };
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await CliErrors.RunAsync("ferry lineage dataset", async () =>
        {
            await using var metadata = await store.OpenAsync(result, cancellationToken);
            var down = await new LineageService(metadata).DownstreamAsync(result.GetValue(name)!, result.GetValue(version), cancellationToken);
            Console.WriteLine($"dataset {down.Dataset.Name} version {down.Dataset.Version} {down.Dataset.Digest}");
            foreach (var run in down.Runs)
            {
                Console.WriteLine($"  run {run.RunId} [{run.Context}]");
            }

            foreach (var model in down.ModelVersions)
            {
                Console.WriteLine($"  model {model.ModelName} version {model.Version}" + (model.SourceRunId is { } r ? $" (from run {r})" : ""));
            }
        }));
        return command;
    }
}
