using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Ferry.Inference;
using Ferry.Server;
using Ferry.Server.Hosting;
using Ferry.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Ferry.Bench.Tracking;

/// <summary>
/// The real server on the bench's store, in a child process (this program with <c>--serve</c>), so that the server's
/// CPU time, allocations and peak RSS are its own and not mixed with the client's. The child prints its port, then
/// answers <c>alloc</c> on stdin with its allocated bytes; it stops when stdin closes. Disposing stops it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public long PeakWorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    public static async Task<ServerProcess> StartAsync(string home, string? store)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Under `dotnet run` this program is its own apphost; under `dotnet x.dll` the host needs the dll again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add("--serve");
        start.ArgumentList.Add(home);
        if (store is not null)
        {
            start.ArgumentList.Add("--store");
            start.ArgumentList.Add(store);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the server process exited before listening");
        return new ServerProcess(process, int.Parse(line, CultureInfo.InvariantCulture));
    }

    public async Task<long> AllocatedBytesAsync()
    {
        await _process.StandardInput.WriteLineAsync("alloc");
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the server process exited");
        return long.Parse(line, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>The child's side: serves until stdin closes.</summary>
    public static async Task<int> RunAsync(string home, string? storeSpec)
    {
        await using var store = await MetadataStores.OpenAsync(storeSpec, home, null, CancellationToken.None);
        var repository = Directory.CreateTempSubdirectory("ferry-bench-repo-").FullName;
        var server = new ServerOptions { Host = "127.0.0.1", HttpPort = 0, GrpcPort = -1, Home = home };
        var app = FerryHost.Create(server, new InferenceOptions { ModelRepositories = [repository], IntraOpThreads = 1 },
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.Replace(ServiceDescriptor.Singleton(store));
            });
        await app.StartAsync();
        try
        {
            Console.WriteLine(FerryHost.BoundPorts(app)[0].ToString(CultureInfo.InvariantCulture));
            while (await Console.In.ReadLineAsync() is { } command)
            {
                if (command == "alloc")
                {
                    Console.WriteLine(GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture));
                }
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(repository, true);
        }

        return 0;
    }
}
