using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ferry.Tests;

namespace Ferry.Cli.Tests.Commands.Models;

/// <summary><c>ferry serve</c> that cannot listen says why and exits with <see cref="Cli.Commands.ExitCodes.Failed"/>.</summary>
[Collection(ChildProcessCollection.Name)]
public sealed class ServeStartFailureTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-busy-").FullName;
    private readonly string _repository = Directory.CreateTempSubdirectory("ferry-busy-repo-").FullName;

    [Fact]
    public async Task Serve_OnAPortInUse_SaysSoAndExitsFailed_WithoutCrashing()
    {
        // Models load while Kestrel binds: the process used to exit under a loading ONNX Runtime session and now
        // and then die of SIGSEGV (exit 139) after the bind failed.
        for (var i = 0; i < 4; i++)
        {
            OnnxModelBuilder.AddFloats(width: 512).WriteTo(_repository, $"m{i}");
        }

        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "serve", "--home", _home, "--model-repository", _repository,
                         "--http-port", port.ToString(CultureInfo.InvariantCulture), "--grpc-port", "-1", "--inline-io" })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            await stdout;

            Assert.Equal(1, process.ExitCode);
            Assert.Contains("address already in use", stderr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_repository, recursive: true);
    }
}
