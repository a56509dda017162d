using System.Diagnostics;

namespace Ferry.Cli.Tests.Commands.Batch;

/// <summary>Runs the real <c>ferry</c> executable as a child process and captures what it prints.</summary>
public static class FerryProcess
{
    public static Process Start(IEnumerable<string> args, bool capture = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ferry.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        if (!capture)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    public static async Task<ProcessRun> RunAsync(params string[] args)
    {
        using var process = Start(args, capture: true);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ProcessRun(process.ExitCode, await output, await error);
    }
}

public sealed record ProcessRun(int ExitCode, string Output, string Error)
{
    public ProcessRun AssertOk()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Error}{Output}");
        return this;
    }
}
