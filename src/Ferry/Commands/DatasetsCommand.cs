using System.CommandLine;
using System.Text.Json;
using Ferry.Server.Tracking;
using Ferry.Tracking.Datasets;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry datasets register PATH --name N</c> and <c>ferry datasets get NAME VERSION</c>, on the store in-process.</summary>
public static class DatasetsCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create() => new("datasets", "Register and inspect dataset versions (digest, schema, profile).")
    {
        Register(),
        Get(),
    };

    private static Command Register()
    {
        var store = new StoreOptions();
        var path = new Argument<string>("path") { Description = "A .csv, .parquet or .jsonl file, or a folder of them." };
        var name = new Option<string>("--name") { Description = "The dataset's name.", Required = true };
        var output = new Option<string>("--output") { Description = "text for people; json for scripts: the version (as 'get' prints it) with 'created'.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command("register", "Digest and profile a file or folder; identical content returns the existing version.") { path, name, output };
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await CliErrors.RunAsync("ferry datasets register", async () =>
        {
            await using var metadata = await store.OpenAsync(result, cancellationToken);
            var service = new DatasetService(metadata, TimeProvider.System);
            var (version, created) = await service.RegisterAsync(result.GetValue(path)!, result.GetValue(name)!, cancellationToken);
            if (result.GetValue(output) == "json")
            {
                var json = DatasetEndpoints.ToJson(version);
                json["created"] = created;
                await result.InvocationConfiguration.Output.WriteLineAsync(json.ToJsonString(Indented));
                return;
            }

            await result.InvocationConfiguration.Output.WriteLineAsync($"{(created ? "registered" : "unchanged")}: {version.Name} version {version.Version} ({version.RowCount} rows, {version.Digest})");
        }));
        return command;
    }

    private static Command Get()
    {
        var store = new StoreOptions();
        var name = new Argument<string>("name");
        var version = new Argument<long>("version");
        var command = new Command("get", "Print a dataset version with its schema and profile as JSON.") { name, version };
        store.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await CliErrors.RunAsync("ferry datasets get", async () =>
        {
            await using var metadata = await store.OpenAsync(result, cancellationToken);
            var record = await new DatasetService(metadata, TimeProvider.System).GetAsync(result.GetValue(name)!, result.GetValue(version), cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync(DatasetEndpoints.ToJson(record).ToJsonString(Indented));
        }));
        return command;
    }
}
