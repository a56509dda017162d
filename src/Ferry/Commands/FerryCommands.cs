using System.CommandLine;

namespace Ferry.Cli.Commands;

/// <summary>The <c>ferry</c> command tree.</summary>
public static class FerryCommands
{
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
