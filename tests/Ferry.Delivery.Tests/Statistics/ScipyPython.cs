using System.Diagnostics;
using System.Text.Json;
using Ferry.Tests;

namespace Ferry.Delivery.Tests.Statistics;

/// <summary>Runs <c>scipy_stats.py</c> beside this file with python3 when scipy is installed.</summary>
internal static class ScipyPython
{
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

    public static JsonDocument Run(string python, string stdin)
    {
        var script = Path.Combine(TestAssets.RepositoryRoot, "tests", "Ferry.Delivery.Tests", "Statistics", "scipy_stats.py");
        using var process = Process.Start(new ProcessStartInfo(python, [script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"scipy_stats.py failed: {error}");
        return JsonDocument.Parse(output.Result);
    }
}
