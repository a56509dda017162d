using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Ferry.Cli.Commands.Models;

/// <summary><c>ferry models</c>: the model registry through the server's management API.</summary>
public static class ModelsCommand
{
    public static Command Create() => new("models", "Register models and manage their versions, aliases and history.")
    {
        Register(), List(), Show(), Alias(), Delete(), History(),
    };

    private static Command Register()
    {
        var api = new ApiOptions();
        var file = new Argument<FileInfo>("FILE") { Description = "The ONNX file." };
        var name = new Option<string>("--name") { Description = "The model's name.", Required = true };
        var alias = new Option<string?>("--alias") { Description = "Point this alias at the new version (champion is served)." };
        var run = new Option<string?>("--run") { Description = "The run that produced the model." };
        var datasets = new Option<string[]>("--dataset") { Description = "A dataset version it was trained on; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var tags = new Option<string[]>("--tag") { Description = "A key=value tag on the version; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var description = new Option<string?>("--description") { Description = "A description of the version." };
        var command = new Command("register", "Upload an ONNX file as the model's next version.") { file, name, alias, run, datasets, tags, description };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliException($"no such file: {path.FullName}");
            }

            var query = new StringBuilder("name=").Append(RegistryClient.Escape(ModelRef.Parse(result.GetValue(name)!).Name));
            Append(query, "alias", result.GetValue(alias));
            Append(query, "run", result.GetValue(run));
            Append(query, "description", result.GetValue(description));
            foreach (var dataset in result.GetValue(datasets) ?? [])
            {
                Append(query, "dataset", dataset);
            }

            foreach (var tag in result.GetValue(tags) ?? [])
            {
                Append(query, "tag", tag);
            }

            using var client = api.Client(result);
            var version = await client.UploadAsync(path.FullName, query.ToString(), ct);
            api.Print(result, version, VersionTable);
        }));
        return command;
    }

    private static Command List()
    {
        var api = new ApiOptions();
        var name = new Option<string?>("--name") { Description = "Only models whose name contains this." };
        var tag = new Option<string?>("--tag") { Description = "Only models with this tag: key or key=value." };
        var alias = new Option<string?>("--alias") { Description = "Only models that have this alias." };
        var pageSize = new Option<int>("--page-size") { Description = "Models per page.", DefaultValueFactory = _ => 100 };
        var pageToken = new Option<string?>("--page-token") { Description = "The next page's token from an earlier answer." };
        var command = new Command("list", "List registered models.") { name, tag, alias, pageSize, pageToken };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var query = new StringBuilder("pageSize=").Append(RegistryClient.Number(result.GetValue(pageSize)));
            Append(query, "name", result.GetValue(name));
            Append(query, "tag", result.GetValue(tag));
            Append(query, "alias", result.GetValue(alias));
            Append(query, "pageToken", result.GetValue(pageToken));
            using var client = api.Client(result);
            var page = await client.GetAsync("models?" + query, ct);
            api.Print(result, page, p =>
            {
                var table = ApiOptions.Table("name", "versions", "aliases", "tags", "updated");
                foreach (var model in p["items"]!.AsArray())
                {
                    ApiOptions.Row(table, ApiOptions.Text(model!["name"]), ApiOptions.Text(model["lastVersion"]), Pairs(model["aliases"]), Pairs(model["tags"]),
                        ApiOptions.Text(model["updatedAt"]));
                }

                if (p["nextPageToken"] is { } next)
                {
                    table.Caption("more: --page-token " + Markup.Escape(ApiOptions.Text(next)));
                }

                return table;
            });
        }));
        return command;
    }

    private static Command Show()
    {
        var api = new ApiOptions();
        var model = new Argument<string>("MODEL") { Description = "NAME, models:/NAME/VERSION or models:/NAME@ALIAS." };
        var command = new Command("show", "Show a model with its versions, or one version.") { model };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var reference = ModelRef.Parse(result.GetValue(model)!);
            using var client = api.Client(result);
            var version = await client.ResolveAsync(reference, ct);
            var path = $"models/{RegistryClient.Escape(reference.Name)}";
            if (version is { } v)
            {
                api.Print(result, await client.GetAsync($"{path}/versions/{RegistryClient.Number(v)}", ct), VersionTable);
                return;
            }

            api.Print(result, await client.GetAsync(path, ct), m =>
            {
                var table = ApiOptions.Table("version", "aliases", "digest", "bytes", "created", "by", "run");
                table.Title(Markup.Escape($"{ApiOptions.Text(m["name"])}  tags: {Pairs(m["tags"])}"));
                foreach (var row in m["versions"]!.AsArray())
                {
                    ApiOptions.Row(table, ApiOptions.Text(row!["version"]), string.Join(", ", row["aliases"]!.AsArray().Select(ApiOptions.Text)),
                        ApiOptions.Text(row["digest"])[..12], ApiOptions.Text(row["sizeBytes"]), ApiOptions.Text(row["createdAt"]),
                        ApiOptions.Text(row["createdBy"]), ApiOptions.Text(row["sourceRunId"]));
                }

                return table;
            });
        }));
        return command;
    }

    private static Command Alias()
    {
        var api = new ApiOptions();
        var model = new Argument<string>("MODEL") { Description = "NAME, models:/NAME/VERSION (the version to point at) or models:/NAME@ALIAS (its version)." };
        var alias = new Argument<string>("ALIAS") { Description = "The alias to set or delete." };
        var version = new Argument<long?>("VERSION") { Description = "The version the alias names; omit when MODEL names one.", Arity = ArgumentArity.ZeroOrOne };
        var delete = new Option<bool>("--delete") { Description = "Delete the alias instead." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit history." };
        var command = new Command("alias", "Point an alias at a version (the champion alias is served), or delete it.") { model, alias, version, delete, reason };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var reference = ModelRef.Parse(result.GetValue(model)!);
            using var client = api.Client(result);
            var path = $"models/{RegistryClient.Escape(reference.Name)}/aliases/{RegistryClient.Escape(result.GetValue(alias)!)}";
            var why = result.GetValue(reason);
            if (result.GetValue(delete))
            {
                await client.DeleteAsync(path + (why is null ? "" : "?reason=" + RegistryClient.Escape(why)), ct);
                result.InvocationConfiguration.Output.WriteLine($"deleted alias {result.GetValue(alias)} of {reference.Name}");
                return;
            }

            var target = result.GetValue(version) ?? await client.ResolveAsync(reference, ct)
                ?? throw new CliException("name the version: ferry models alias NAME ALIAS VERSION");
            var answer = await client.PutJsonAsync(path, new JsonObject { ["version"] = target, ["reason"] = why }, ct);
            api.Print(result, answer, VersionTable);
        }));
        return command;
    }

    private static Command Delete()
    {
        var api = new ApiOptions();
        var model = new Argument<string>("MODEL") { Description = "models:/NAME/VERSION or models:/NAME@ALIAS deletes a version; NAME with --all the whole model." };
        var all = new Option<bool>("--all") { Description = "Delete the whole model with every version." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit history." };
        var command = new Command("delete", "Delete a version, or a whole model with --all.") { model, all, reason };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var reference = ModelRef.Parse(result.GetValue(model)!);
            using var client = api.Client(result);
            var version = await client.ResolveAsync(reference, ct);
            var why = result.GetValue(reason) is { } r ? "?reason=" + RegistryClient.Escape(r) : "";
            var path = $"models/{RegistryClient.Escape(reference.Name)}";
            if (version is { } v)
            {
                await client.DeleteAsync($"{path}/versions/{RegistryClient.Number(v)}{why}", ct);
                result.InvocationConfiguration.Output.WriteLine($"deleted {reference.Name} version {v}");
            }
            else if (result.GetValue(all))
            {
                await client.DeleteAsync(path + why, ct);
                result.InvocationConfiguration.Output.WriteLine($"deleted model {reference.Name}");
            }
            else
            {
                throw new CliException("name a version (models:/NAME/VERSION or models:/NAME@ALIAS), or pass --all to delete the whole model");
            }
        }));
        return command;
    }

    private static Command History()
    {
        var api = new ApiOptions();
        var model = new Argument<string>("MODEL") { Description = "NAME (or any models:/ URI of it)." };
        var limit = new Option<int>("--limit") { Description = "Entries to show, newest first.", DefaultValueFactory = _ => 100 };
        var command = new Command("history", "The model's audit history: who changed what, when and why.") { model, limit };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var reference = ModelRef.Parse(result.GetValue(model)!);
            using var client = api.Client(result);
            var entries = await client.GetAsync($"models/{RegistryClient.Escape(reference.Name)}/audit?limit={RegistryClient.Number(result.GetValue(limit))}", ct);
            api.Print(result, entries, e =>
            {
                var table = ApiOptions.Table("at", "action", "version", "detail", "actor", "reason");
                foreach (var entry in e.AsArray())
                {
                    ApiOptions.Row(table, ApiOptions.Time(entry!["at"]), ApiOptions.Text(entry["action"]), ApiOptions.Text(entry["version"]),
                        ApiOptions.Text(entry["detail"]), ApiOptions.Text(entry["actor"]), ApiOptions.Text(entry["reason"]));
                }

                return table;
            });
        }));
        return command;
    }

    private static Table VersionTable(JsonNode v)
    {
        var table = ApiOptions.Table("field", "value");
        foreach (var key in new[] { "model", "version", "aliases", "digest", "sizeBytes", "status", "sourceRunId", "datasets", "tags", "createdAt", "createdBy" })
        {
            ApiOptions.Row(table, key, ApiOptions.Text(v[key]));
        }

        return table;
    }

    private static string Pairs(JsonNode? node) =>
        node is JsonObject o ? string.Join(", ", o.Select(p => $"{p.Key}={ApiOptions.Text(p.Value)}")) : "";

    private static void Append(StringBuilder query, string key, string? value)
    {
        if (value is not null)
        {
            query.Append(query.Length > 0 ? "&" : "").Append(key).Append('=').Append(RegistryClient.Escape(value));
        }
    }
}
