using System.Diagnostics;
using System.Text.Json;

namespace Ferry.Tests;

/// <summary>
/// Runs the reference scripts the statistics tests compare with: finds a python3 that has scipy (Debian's
/// python3-scipy lives with /usr/bin/python3, not with a pyenv one) and runs a script with JSON in and out.
/// </summary>
public static class ScipyPython
{
    /// <summary>A python3 that imports scipy, or null when none does.</summary>
    public static string? Find()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(candidate, ["-c", "import scipy"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
                process.WaitForExit();
                if (process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under that name; try the next.
            }
        }

        return null;
    }

    /// <summary>Runs <paramref name="scriptPath"/> with <paramref name="stdin"/> on its standard input; parses what it prints.</summary>
    /// <exception cref="InvalidOperationException">The script failed; its standard error is in the message.</exception>
    public static JsonDocument Run(string python, string scriptPath, string stdin)
    {
        using var process = Process.Start(new ProcessStartInfo(python, [scriptPath]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(scriptPath)} failed: {error}");
        }

        return JsonDocument.Parse(output.Result);
    }
}
