using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands.Models;
using Spectre.Console;

namespace Ferry.Cli.Commands.Deploy;

/// <summary><c>ferry deploy</c>: deployments (blue/green, canary, shadow, A/B) through the server's management API.</summary>
public static class DeployCommand
{
    private const string Api = "api/v1/deployments";

    public static Command Create() => new("deploy", "Roll model versions out: blue/green, canary with analysis, shadow and A/B.")
    {
        CreateDeployment(), Set(), Action("promote", "Give the candidate all traffic now."), Action("abort", "Stop the rollout; all traffic back to stable."),
        Action("rollback", "Back to the previous stable version at once (or abort the rollout in progress)."),
        Action("pause", "Hold a canary at its current step."), Action("resume", "Go on with a paused canary."), Status(), History(),
    };

    private sealed class SpecOptions
    {
        public Option<string?> Strategy { get; } = new("--strategy") { Description = "bluegreen, canary, shadow or ab." };

        public Option<string?> Steps { get; } = new("--steps") { Description = "Canary steps, e.g. \"10,pause:5m,50,pause\" (a number sets the weight)." };

        public Option<string[]> Checks { get; } = new("--check") { Description = "An analysis check METRIC:BOUND[:MIN_SAMPLES] (accuracy: fail below BOUND; others: fail above); repeatable.", Arity = ArgumentArity.ZeroOrMore };

        public Option<string?> Interval { get; } = new("--analysis-interval") { Description = "The analysis window, e.g. 1m." };

        public Option<double?> ShadowPercent { get; } = new("--shadow-percent") { Description = "Shadow: the share of requests copied, in percent." };

        public Option<double?> CandidateWeight { get; } = new("--candidate-weight") { Description = "A/B: the candidate's share in percent." };

        public Option<string?> Gates { get; } = new("--gates")
        {
            Description = "A JSON file with the gate policy every candidate must pass first (as for 'ferry gates check --policy').",
        };

        public void AddTo(Command command)
        {
            command.Options.Add(Strategy);
            command.Options.Add(Steps);
            command.Options.Add(Checks);
            command.Options.Add(Interval);
            command.Options.Add(ShadowPercent);
            command.Options.Add(CandidateWeight);
            command.Options.Add(Gates);
        }

        public void Fill(ParseResult result, JsonObject body)
        {
            if (result.GetValue(Gates) is { } gates)
            {
                body["gates"] = ReadPolicy(gates);
            }

            if (result.GetValue(Strategy) is { } strategy)
            {
                body["strategy"] = strategy;
            }

            if (result.GetValue(Steps) is { } steps)
            {
                body["steps"] = DeploySpecArgs.Steps(steps);
            }

            var checks = result.GetValue(Checks) ?? [];
            var interval = result.GetValue(Interval);
            if (checks.Length > 0 || interval is not null)
            {
                var analysis = new JsonObject { ["checks"] = new JsonArray(checks.Select(c => (JsonNode)DeploySpecArgs.Check(c)).ToArray()) };
                if (interval is not null)
                {
                    analysis["interval"] = DeploySpecArgs.Duration(interval, "--analysis-interval");
                }

                body["analysis"] = analysis;
            }

            if (result.GetValue(ShadowPercent) is { } shadow)
            {
                body["shadow_percent"] = shadow;
            }

            if (result.GetValue(CandidateWeight) is { } weight)
            {
                body["candidate_weight"] = weight;
            }
        }
    }

    private static Command CreateDeployment()
    {
        var api = new ApiOptions();
        var spec = new SpecOptions();
        var name = new Argument<string>("NAME") { Description = "The deployment's name: served at /v2/models/NAME." };
        var model = new Option<string>("--model") { Description = "The registered model.", Required = true };
        var stable = new Option<long>("--stable") { Description = "The version serving now.", Required = true };
        var candidate = new Option<long?>("--candidate") { Description = "A version to roll out at once." };
        var command = new Command("create", "Create a deployment; with --candidate, start rolling it out.") { name, model, stable, candidate };
        spec.AddTo(command);
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var body = new JsonObject { ["name"] = result.GetValue(name), ["model"] = result.GetValue(model), ["stable_version"] = result.GetValue(stable) };
            if (result.GetValue(candidate) is { } c)
            {
                body["candidate_version"] = c;
            }

            spec.Fill(result, body);
            using var client = api.Client(result, Api);
            api.Print(result, await client.PostJsonAsync("", body, ct), StatusTable);
        }));
        return command;
    }

    private static Command Set()
    {
        var api = new ApiOptions();
        var spec = new SpecOptions();
        var name = new Argument<string>("NAME") { Description = "The deployment." };
        var candidate = new Option<long>("--candidate") { Description = "The version to roll out.", Required = true };
        var command = new Command("set", "Start rolling a new candidate out, optionally with new settings.") { name, candidate };
        spec.AddTo(command);
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var body = new JsonObject { ["candidate_version"] = result.GetValue(candidate) };
            spec.Fill(result, body);
            using var client = api.Client(result, Api);
            api.Print(result, await client.PutJsonAsync("/" + RegistryClient.Escape(result.GetValue(name)!) + "/candidate", body, ct), StatusTable);
        }));
        return command;
    }

    private static Command Action(string action, string description)
    {
        var api = new ApiOptions();
        var name = new Argument<string>("NAME") { Description = "The deployment." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the history." };
        var command = new Command(action, description) { name, reason };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var body = new JsonObject();
            if (result.GetValue(reason) is { } r)
            {
                body["reason"] = r;
            }

            using var client = api.Client(result, Api);
            api.Print(result, await client.PostJsonAsync("/" + RegistryClient.Escape(result.GetValue(name)!) + "/" + action, body, ct), StatusTable);
        }));
        return command;
    }

    private static Command Status()
    {
        var api = new ApiOptions();
        var name = new Argument<string?>("NAME") { Description = "The deployment; every deployment when left out.", Arity = ArgumentArity.ZeroOrOne };
        var watch = new Option<bool>("--watch") { Description = "Keep the view live, refreshed every 2 seconds, until Ctrl+C." };
        var command = new Command("status", "A deployment's state and live per-variant measurements.") { name, watch };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            using var client = api.Client(result, Api);
            var target = result.GetValue(name);
            var path = target is null ? "" : "/" + RegistryClient.Escape(target);
            if (!result.GetValue(watch) || target is null)
            {
                var answer = await client.GetAsync(path, ct);
                api.Print(result, answer, target is null ? ListTable : StatusTable);
                return;
            }

            await AnsiConsole.Live(StatusTable(await client.GetAsync(path, ct))).StartAsync(async live =>
            {
                while (!ct.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(2), ct);
                        live.UpdateTarget(StatusTable(await client.GetAsync(path, ct)));
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            });
        }));
        return command;
    }

    private static Command History()
    {
        var api = new ApiOptions();
        var name = new Argument<string>("NAME") { Description = "The deployment." };
        var command = new Command("history", "Every transition and analysis decision, with its numbers.") { name };
        api.AddTo(command);
        command.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            using var client = api.Client(result, Api);
            var answer = await client.GetAsync("/" + RegistryClient.Escape(result.GetValue(name)!) + "/history", ct);
            api.Print(result, answer, a =>
            {
                var table = ApiOptions.Table("at", "kind", "actor", "message");
                foreach (var e in a["events"]!.AsArray())
                {
                    ApiOptions.Row(table, ApiOptions.Time(e!["at"]), ApiOptions.Text(e["kind"]), ApiOptions.Text(e["actor"]), ApiOptions.Text(e["message"]));
                }

                return table;
            });
        }));
        return command;
    }

    /// <summary>
    /// The deployment as field/value rows, then the variants, the latest analysis and the A/B verdict, stacked without
    /// an enclosing border: side by side, eight columns squeezed words like "progressing" into an 80-column terminal.
    /// </summary>
    private static Table StatusTable(JsonNode status)
    {
        var d = status["deployment"]!;
        var state = d["state"]!;
        var table = ApiOptions.Table("deployment", Markup.Escape(ApiOptions.Text(d["name"])));
        ApiOptions.Row(table, "model", ApiOptions.Text(d["model"]));
        ApiOptions.Row(table, "strategy", ApiOptions.Text(d["spec"]?["strategy"]));
        ApiOptions.Row(table, "phase", ApiOptions.Text(state["phase"]));
        ApiOptions.Row(table, "stable", ApiOptions.Text(state["stable_version"]));
        ApiOptions.Row(table, "candidate", ApiOptions.Text(state["candidate_version"]));
        ApiOptions.Row(table, "candidate weight", Number(state["candidate_weight"]) + "%");
        if (ApiOptions.Text(state["reason"]) is { Length: > 0 } reason)
        {
            ApiOptions.Row(table, "reason", reason);
        }

        var variants = ApiOptions.Table("variant", "version", "requests", "errors", "p99 ms", "prediction mean");
        foreach (var v in status["variants"]?.AsArray() ?? [])
        {
            ApiOptions.Row(variants, ApiOptions.Text(v!["role"]), ApiOptions.Text(v["version"]), ApiOptions.Text(v["requests"]),
                ApiOptions.Text(v["errors"]), Number(v["latency_p99_ms"]), Number(v["prediction_mean"]));
        }

        var outer = new Table().Border(TableBorder.None).HideHeaders().AddColumn("");
        outer.AddRow(table);
        outer.AddRow(variants);
        if (state["last_analysis"] is JsonArray checks && checks.Count > 0)
        {
            outer.AddRow(AnalysisTable(checks));
        }

        if (status["verdict"] is { } verdict)
        {
            outer.AddRow(VerdictTable(verdict));
        }

        return outer;
    }

    /// <summary>The latest analysis: each check's candidate and stable values, its bounds and samples (labelled ones for accuracy, mae).</summary>
    private static Table AnalysisTable(JsonArray checks)
    {
        var table = ApiOptions.Table("check", "outcome", "value", "stable", "fails", "n/min");
        foreach (var c in checks)
        {
            var below = c!["fail_below"] is not null;
            var fail = Number(below ? c["fail_below"] : c["fail_above"]);
            var succeed = Number(below ? c["succeed_at_least"] : c["succeed_at_most"]);
            var bounds = (below ? "< " : "> ") + fail + (succeed == fail ? "" : $" (ok {(below ? ">=" : "<=")} {succeed})");
            ApiOptions.Row(table, ApiOptions.Text(c["check"]), ApiOptions.Text(c["outcome"]), Number(c["value"]), Number(c["stable_value"]),
                bounds, $"{ApiOptions.Text(c["candidate_samples"])}/{ApiOptions.Text(c["min_samples"])}");
        }

        var outer = ApiOptions.Table("latest analysis");
        outer.AddRow(table);
        return outer;
    }

    /// <summary>The A/B significance tests and the recommendation: a winner with its p-value, or keep collecting.</summary>
    private static Table VerdictTable(JsonNode verdict)
    {
        var recommended = verdict["recommended"] is null
            ? "keep collecting"
            : $"{ApiOptions.Text(verdict["recommended"])} (version {ApiOptions.Text(verdict["recommended_version"])})";
        var table = ApiOptions.Table("metric", "test", "statistic", "p-value", "alpha", "difference", "better");
        foreach (var t in verdict["tests"]?.AsArray() ?? [])
        {
            ApiOptions.Row(table, ApiOptions.Text(t!["metric"]), ApiOptions.Text(t["test"]), Number(t["statistic"]), PValue(t["p_value"]),
                PValue(t["alpha"]), Number(t["difference"]), ApiOptions.Text(t["better"]));
        }

        var outer = ApiOptions.Table(Markup.Escape($"A/B recommendation: {recommended}; {ApiOptions.Text(verdict["explanation"])}"));
        outer.AddRow(table);
        return outer;
    }

    private static string PValue(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var x) ? x.ToString("G4", CultureInfo.InvariantCulture) : "";

    private static JsonNode ReadPolicy(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CliException($"--gates: {path} must hold a JSON object");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new CliException($"--gates: cannot read {path}: {e.Message}");
        }
    }

    private static Table ListTable(JsonNode answer)
    {
        var table = ApiOptions.Table("name", "model", "strategy", "phase", "stable", "candidate", "weight");
        foreach (var s in answer["deployments"]!.AsArray())
        {
            var d = s!["deployment"]!;
            var state = d["state"]!;
            ApiOptions.Row(table, ApiOptions.Text(d["name"]), ApiOptions.Text(d["model"]), ApiOptions.Text(d["spec"]?["strategy"]),
                ApiOptions.Text(state["phase"]), ApiOptions.Text(state["stable_version"]), ApiOptions.Text(state["candidate_version"]),
                Number(state["candidate_weight"]) + "%");
        }

        return table;
    }

    private static string Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var x) ? x.ToString("0.###", CultureInfo.InvariantCulture) : "";
}
