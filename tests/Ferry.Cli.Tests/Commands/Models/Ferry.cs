using System.CommandLine;
using Ferry.Cli.Commands;

namespace Ferry.Cli.Tests.Commands.Models;

/// <summary>Runs the <c>ferry</c> command in-process with its console captured.</summary>
public static class Ferry
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FerryCommands.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return new CliRun(code, output.ToString(), error.ToString());
    }
}

public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public CliRun AssertOk()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Error}{Output}");
        return this;
    }
}
