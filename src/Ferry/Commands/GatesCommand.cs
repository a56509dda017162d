using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands.Models;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry gates check MODEL:VERSION --policy FILE.json</c>: runs the server's gates on a registered version and
/// prints the checks; exit code 0 when every check passed, 1 when one failed or the call was refused.
/// </summary>
public static class GatesCommand
{
    public static Command Create() => new("gates", "Check a model version against the gates before it may enter a deployment.")
    {
        Check(),
    };

    private static Command Check()
    {
        var api = new ApiOptions();
        var model = new Argument<string>("MODEL") { Description = "NAME:VERSION, models:/NAME/VERSION or models:/NAME@ALIAS." };
        var policy = new Option<FileInfo>("--policy")
        {
            Description = "A JSON file with the policy: maxSizeBytes, maxLatencyP99Ms, maxMemoryBytes, benchmark {warmupRuns, timedRuns}, metric {name, dataset, datasetVersion, label, ...}.",
            Required = true,
        };
        var contract = new Option<FileInfo?>("--contract")
        {
            Description = "A JSON file with the contract {inputs, outputs} the version must serve (default: the champion's signature).",
        };
        var command = new Command("check", "Run the compatibility, size, latency, memory and optimising-metric checks on a registered version.") { model, policy, contract };
        api.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var passed = false;
            var code = await ApiOptions.RunAsync(result, async () =>
            {
                using var client = api.Client(result);
                var (name, version) = await ResolveAsync(client, result.GetValue(model)!, ct);
                var body = new JsonObject { ["model"] = name, ["version"] = version, ["policy"] = ReadJson(result.GetValue(policy)!, "--policy") };
                if (result.GetValue(contract) is { } c)
                {
                    body["contract"] = ReadJson(c, "--contract");
                }

                var report = await PostAsync(api, result, body, ct);
                passed = report["passed"]?.GetValue<bool>() == true;
                api.Print(result, report, Table);
            });
            return code == ExitCodes.Ok && !passed ? ExitCodes.Failed : code;
        });
        return command;
    }

    private static Table Table(JsonNode report)
    {
        var table = ApiOptions.Table("check", "result", "value", "threshold", "unit", "message");
        var passed = report["passed"]?.GetValue<bool>() == true;
        table.Title(Markup.Escape($"{ApiOptions.Text(report["model"])}:{ApiOptions.Text(report["version"])} {(passed ? "passed" : "FAILED")}"));
        foreach (var check in report["checks"]!.AsArray())
        {
            ApiOptions.Row(table, ApiOptions.Text(check!["name"]), check["passed"]!.GetValue<bool>() ? "pass" : "FAIL",
                Number(check["value"]), Number(check["threshold"]), ApiOptions.Text(check["unit"]), ApiOptions.Text(check["message"]));
        }

        return table;
    }

    private static string Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("0.######", CultureInfo.InvariantCulture) : "";

    /// <summary>NAME:VERSION, or an MLflow model URI; an alias is resolved through the registry.</summary>
    private static async Task<(string Name, long Version)> ResolveAsync(RegistryClient client, string text, CancellationToken ct)
    {
        if (!text.StartsWith("models:/", StringComparison.Ordinal))
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                throw new CliException($"'{text}' names no version: use NAME:VERSION, models:/NAME/VERSION or models:/NAME@ALIAS");
            }

            return (text[..colon], v);
        }

        var reference = ModelRef.Parse(text);
        var version = await client.ResolveAsync(reference, ct) ?? throw new CliException($"'{text}' names no version");
        return (reference.Name, version);
    }

    private static JsonNode ReadJson(FileInfo file, string option)
    {
        if (!file.Exists)
        {
            throw new CliException($"{option}: no such file: {file.FullName}");
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(file.FullName)) ?? throw new CliException($"{option}: {file.Name} holds null, not a JSON object");
        }
        catch (JsonException e)
        {
            throw new CliException($"{option}: {file.Name} is not valid JSON: {e.Message}");
        }
    }

    private static async Task<JsonNode> PostAsync(ApiOptions api, ParseResult result, JsonObject body, CancellationToken ct)
    {
        var server = result.GetValue(api.Server)!;
        var token = result.GetValue(api.Token) ?? Environment.GetEnvironmentVariable("FERRY_TOKEN");
        using var http = new HttpClient { BaseAddress = new Uri(server.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(30) };
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync("api/v1/gates/check", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the server at {server}: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? json = null;
            try
            {
                json = text.Length > 0 ? JsonNode.Parse(text) : null;
            }
            catch (JsonException)
            {
            }

            if (!response.IsSuccessStatusCode)
            {
                var detail = json?["detail"]?.GetValue<string>() ?? text;
                throw new CliException($"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
            }

            return json ?? throw new CliException("the server answered with an empty body");
        }
    }
}
