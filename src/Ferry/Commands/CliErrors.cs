namespace Ferry.Cli.Commands;

/// <summary>Runs a command body, printing a <see cref="FerryException"/> as one line on stderr with exit code 1.</summary>
internal static class CliErrors
{
    public static async Task<int> RunAsync(string command, Func<Task> body)
    {
        try
        {
            await body();
            return ExitCodes.Ok;
        }
        catch (FerryException e)
        {
            await Console.Error.WriteLineAsync($"{command}: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
