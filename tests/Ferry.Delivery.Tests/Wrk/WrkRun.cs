using System.Diagnostics;
using System.Globalization;
using Ferry.Tests;

namespace Ferry.Delivery.Tests.Wrk;

/// <summary>
/// Debian's <c>wrk</c> as a child process: one thread, a fixed number of connections, POSTing one infer body to a
/// deployment until <see cref="StopAsync"/> sends it SIGINT (wrk then prints its summary and runs the script's
/// <c>done()</c>). The script counts non-2xx answers, socket errors and the answers per <c>x-ferry-model-version</c>.
/// </summary>
public sealed class WrkRun : IAsyncDisposable
{
    /// <summary>The script bench/delivery/run.sh uses for its switch-under-load phases: the test and the bench count alike.</summary>
    private static string Script => Path.Combine(TestAssets.RepositoryRoot, "bench", "delivery", "switch.lua");

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly string _folder;

    private WrkRun(Process process, string folder)
    {
        _process = process;
        _folder = folder;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The wrk binary on PATH; a clear failure (not a skip) when it is missing, since acceptance 1 depends on it.</summary>
    public static string Binary()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, "wrk");
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail("wrk is not on PATH: the under-load acceptance tests need Debian's wrk (apt-get install wrk; scripts/test.sh installs it when run as root)");
        return "";
    }

    /// <summary>Starts wrk against <c>/v2/models/{deployment}/infer</c> for at most <paramref name="maxDuration"/>.</summary>
    public static WrkRun Start(Uri server, string deployment, string body, int connections = 16, int maxDurationSeconds = 120)
    {
        var binary = Binary();
        var folder = Directory.CreateTempSubdirectory("ferry-wrk-").FullName;
        File.WriteAllText(Path.Combine(folder, "body.json"), body);
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-t1", $"-c{connections}", $"-d{maxDurationSeconds}s", "--timeout", "10s", "-s", Script,
                     new Uri(server, $"/v2/models/{deployment}/infer").ToString()])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["BODY_FILE"] = Path.Combine(folder, "body.json");
        return new WrkRun(Process.Start(info) ?? throw new InvalidOperationException("wrk did not start"), folder);
    }

    /// <summary>Sends SIGINT, waits for wrk's summary and returns the counts its script printed.</summary>
    public async Task<WrkResult> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var output = await _stdout;
        var errors = await _stderr;
        Assert.True(_process.ExitCode == 0, $"wrk exited with {_process.ExitCode}: {output}{errors}");
        return WrkResult.Parse(output + errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>What one wrk run saw: requests, non-2xx answers, socket errors and the answers per version.</summary>
public sealed record WrkResult(long Requests, long Non2xx, long SocketErrors, IReadOnlyDictionary<string, long> ByVersion, string Output)
{
    public static WrkResult Parse(string output)
    {
        long requests = -1, non2xx = -1, errors = -1;
        var byVersion = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            // SWITCH requests non2xx errors v1=n,v2=m (the versions that answered, sorted)
            var parts = line.Trim().Split(' ');
            if (parts.Length >= 4 && parts[0] == "SWITCH")
            {
                requests = long.Parse(parts[1], CultureInfo.InvariantCulture);
                non2xx = long.Parse(parts[2], CultureInfo.InvariantCulture);
                errors = long.Parse(parts[3], CultureInfo.InvariantCulture);
                foreach (var seen in parts.Length > 4 ? parts[4].Split(',', StringSplitOptions.RemoveEmptyEntries) : [])
                {
                    var (version, count) = (seen[1..seen.IndexOf('=')], seen[(seen.IndexOf('=') + 1)..]);
                    byVersion[version] = long.Parse(count, CultureInfo.InvariantCulture);
                }
            }
        }

        Assert.True(requests >= 0, $"wrk printed no summary from its script:\n{output}");
        return new WrkResult(requests, non2xx, errors, byVersion, output);
    }

    public override string ToString() =>
        $"{Requests} requests, {Non2xx} non-2xx, {SocketErrors} socket errors, versions {string.Join(", ", ByVersion.Select(v => $"{v.Key}={v.Value}"))}";
}
