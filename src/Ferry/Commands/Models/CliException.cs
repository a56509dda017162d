namespace Ferry.Cli.Commands.Models;

/// <summary>A failure to report to the user in one line, with exit code <see cref="ExitCodes.Failed"/>.</summary>
public sealed class CliException(string message) : Exception(message);
