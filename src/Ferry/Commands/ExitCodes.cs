namespace Ferry.Cli.Commands;

/// <summary>Exit codes of the <c>ferry</c> command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command failed at run time (a model did not load, the server could not start).</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong: it does not parse (<see cref="FerryCommands.InvokeAsync"/>) or a value is refused.</summary>
    public const int Usage = 2;

    /// <summary><c>ferry monitor alerts</c>: at least one alert rule is firing.</summary>
    public const int Firing = 3;
}
