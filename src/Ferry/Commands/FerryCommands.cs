using System.CommandLine;

namespace Ferry.Cli.Commands;

/// <summary>The <c>ferry</c> command tree.</summary>
public static class FerryCommands
{
    /// <summary>
    /// Parses and runs <c>ferry</c>: a command line that does not parse prints its errors and the help, and exits with
    /// <see cref="ExitCodes.Usage"/> (System.CommandLine's own code for it is 1, which means a failure at run time here).
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parsed = Build().Parse(args);
        var code = await parsed.InvokeAsync(configuration, cancellationToken);
        return parsed.Errors.Count > 0 ? ExitCodes.Usage : code;
    }

    public static RootCommand Build() => new("Ferry: serve, track, deliver and watch machine-learning models.")
    {
        ServeCommand.Create(),
        BatchCommand.Create(),
        LogsCommand.Create(),
        MonitorCommand.Create(),
        Models.ModelsCommand.Create(),
        Models.TokensCommand.Create(),
        Deploy.DeployCommand.Create(),
        DatasetsCommand.Create(),
        LineageCommand.Create(),
        GatesCommand.Create(),
    };
}
