using System.Diagnostics;
using System.Text.Json;

namespace Ferry.Monitoring.Tests.Drift;

/// <summary>Finds a python3 that has scipy (Debian's python3-scipy lives with /usr/bin/python3, not with a pyenv one).</summary>
public static class Python
{
    public static string? WithScipy()
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

    public static JsonDocument Run(string python, string script, string stdin)
    {
        var path = Path.Combine(AppContext.BaseDirectory, script);
        using var process = Process.Start(new ProcessStartInfo(python, [path]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} failed: {error}");
        return JsonDocument.Parse(output.Result);
    }
}
