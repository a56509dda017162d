using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Ferry.Cli.Commands.Models;

/// <summary>The options every API-backed command takes, and how its answers are printed.</summary>
public sealed class ApiOptions
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Option<string> Server { get; } = new("--server")
    {
        Description = "The Ferry server (default $FERRY_SERVER or http://127.0.0.1:8000).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FERRY_SERVER") is { Length: > 0 } s ? s : "http://127.0.0.1:8000",
    };

    public Option<string?> Token { get; } = new("--token") { Description = "A bearer token (default $FERRY_TOKEN)." };

    public Option<string> Output { get; } = new("--output")
    {
        Description = "table for people, json for scripts.",
        DefaultValueFactory = _ => "table",
    };

    public ApiOptions()
    {
        Output.AcceptOnlyFromAmong("table", "json");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(Output);
    }

    public RegistryClient Client(ParseResult result, string api = RegistryClient.Api)
    {
        var server = result.GetValue(Server)!;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri))
        {
            throw new CliException($"--server '{server}' is not an absolute URL");
        }

        return new RegistryClient(uri, result.GetValue(Token) ?? Environment.GetEnvironmentVariable("FERRY_TOKEN"), api);
    }

    /// <summary>Prints the answer as JSON, or as the table <paramref name="table"/> draws.</summary>
    public void Print(ParseResult result, JsonNode answer, Func<JsonNode, Table> table)
    {
        var output = result.InvocationConfiguration.Output;
        if (result.GetValue(Output) == "json")
        {
            output.WriteLine(answer.ToJsonString(Indented));
            return;
        }

        Console(result).Write(table(answer));
    }

    /// <summary>A Spectre console on the command's output (what tests capture), plain text without colours.</summary>
    public static IAnsiConsole Console(ParseResult result) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(result.InvocationConfiguration.Output),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
    });

    /// <summary>
    /// Runs the command's work, which returns its exit code, turning a <see cref="CliException"/> into a message and
    /// exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult result, Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (CliException e)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync("ferry: " + e.Message);
            return ExitCodes.Failed;
        }
    }

    /// <summary>Runs the command's work, turning a <see cref="CliException"/> into a message and exit code 1.</summary>
    public static async Task<int> RunAsync(ParseResult result, Func<Task> work)
    {
        try
        {
            await work();
            return ExitCodes.Ok;
        }
        catch (CliException e)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync("ferry: " + e.Message);
            return ExitCodes.Failed;
        }
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            // A time ("at", see Time) stays on one line; the other columns wrap to fit the terminal.
            table.AddColumn(column == "at" ? new TableColumn(column).NoWrap() : new TableColumn(column));
        }

        return table;
    }

    /// <summary>Adds a row of plain text (Spectre reads cells as markup, and names may hold brackets).</summary>
    public static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(Markup.Escape).ToArray());

    /// <summary>
    /// A timestamp for a table cell, to the second in UTC (<c>2026-12-07 03:15:42Z</c>): the API's round-trip form
    /// (<c>2026-12-07T03:15:42.682+00:00</c>) wraps in a narrow column. Anything else is shown as it is.
    /// </summary>
    public static string Time(JsonNode? node) =>
        Text(node) is var text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;

    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
