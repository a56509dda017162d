using System.Diagnostics;
using System.Globalization;

namespace Ferry.Delivery.Tests.Wrk;

/// <summary>
/// Debian's <c>wrk</c> as a child process: one thread, a fixed number of connections, POSTing one infer body to a
/// deployment until <see cref="StopAsync"/> sends it SIGINT (wrk then prints its summary and runs the script's
/// <c>done()</c>). The script counts non-2xx answers, socket errors and the answers per <c>x-ferry-model-version</c>.
/// </summary>
public sealed class WrkRun : IAsyncDisposable
{
    private const string Script = """
        -- Written by WrkRun: POST $BODY_FILE; count non-2xx answers and answers per x-ferry-model-version, per thread.
        local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
        wrk.method = "POST"
        wrk.body = f:read("*a")
        f:close()
        wrk.headers["Content-Type"] = "application/json"

        local threads = {}
        function setup(thread)
          table.insert(threads, thread)
        end

        function init(args)
          non2xx = 0
          versions = {}
        end

        function response(status, headers, body)
          if status < 200 or status > 299 then
            non2xx = non2xx + 1
          end
          local v = headers["x-ferry-model-version"] or headers["X-Ferry-Model-Version"] or "none"
          versions[v] = (versions[v] or 0) + 1
        end

        function done(summary, latency, requests)
          local e = summary.errors
          local non = 0
          local seen = {}
          for _, t in ipairs(threads) do
            non = non + t:get("non2xx")
            for v, n in pairs(t:get("versions")) do
              seen[v] = (seen[v] or 0) + n
            end
          end
          io.write(string.format("WRK requests %d non2xx %d errors %d\n", summary.requests, non,
            e.connect + e.read + e.write + e.timeout))
          for v, n in pairs(seen) do
            io.write(string.format("WRK version %s %d\n", v, n))
          end
        end
        """;

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
        File.WriteAllText(Path.Combine(folder, "count.lua"), Script);
        File.WriteAllText(Path.Combine(folder, "body.json"), body);
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-t1", $"-c{connections}", $"-d{maxDurationSeconds}s", "--timeout", "10s", "-s", Path.Combine(folder, "count.lua"),
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
            var parts = line.Trim().Split(' ');
            if (parts.Length == 7 && parts[0] == "WRK" && parts[1] == "requests")
            {
                requests = long.Parse(parts[2], CultureInfo.InvariantCulture);
                non2xx = long.Parse(parts[4], CultureInfo.InvariantCulture);
                errors = long.Parse(parts[6], CultureInfo.InvariantCulture);
            }
            else if (parts.Length == 4 && parts[0] == "WRK" && parts[1] == "version")
            {
                byVersion[parts[2]] = long.Parse(parts[3], CultureInfo.InvariantCulture);
            }
        }

        Assert.True(requests >= 0, $"wrk printed no summary from its script:\n{output}");
        return new WrkResult(requests, non2xx, errors, byVersion, output);
    }

    public override string ToString() =>
        $"{Requests} requests, {Non2xx} non-2xx, {SocketErrors} socket errors, versions {string.Join(", ", ByVersion.Select(v => $"{v.Key}={v.Value}"))}";
}
