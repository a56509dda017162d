using Ferry.Inference;
using Ferry.Server;
using Ferry.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Ferry.Tests;

/// <summary>
/// A real Ferry server on Kestrel at 127.0.0.1 (free ports) over a temporary model repository. Subclasses write
/// the models they need in <see cref="WriteModels"/>. Starts on first use and waits until the server is ready.
/// </summary>
public class FerryServerFixture : IAsyncDisposable
{
    private WebApplication? _app;

    public string Repository { get; } = Directory.CreateTempSubdirectory("ferry-repo-").FullName;

    public string Home { get; } = Directory.CreateTempSubdirectory("ferry-home-").FullName;

    public Uri HttpAddress { get; private set; } = null!;

    public Uri GrpcAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public WebApplication App => _app ?? throw new InvalidOperationException("not started");

    /// <summary>Request body limit the server is started with.</summary>
    protected virtual long MaxRequestBodyBytes => 8L * 1024 * 1024;

    public async Task StartAsync()
    {
        WriteModels(Repository);
        var server = new ServerOptions { Host = "127.0.0.1", HttpPort = 0, GrpcPort = 0, Home = Home, MaxRequestBodyBytes = MaxRequestBodyBytes };
        var inference = new InferenceOptions { ModelRepositories = [Repository], IntraOpThreads = 1 };
        _app = FerryHost.Create(server, inference, ConfigureServer);
        await _app.StartAsync();
        var ports = FerryHost.BoundPorts(_app);
        HttpAddress = new Uri($"http://127.0.0.1:{ports[0]}");
        GrpcAddress = new Uri($"http://127.0.0.1:{ports[1]}");
        Http = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        await WaitReadyAsync();
    }

    /// <summary>Polls readiness, as a client would; start-up loading is done in the background.</summary>
    public async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync("/v2/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the server did not become ready");
    }

    /// <summary>Adjusts the host before it is built (the registry, options, a fake clock); nothing by default.</summary>
    protected virtual void ConfigureServer(WebApplicationBuilder builder)
    {
    }

    /// <summary>Writes the test models into the repository before the server starts.</summary>
    protected virtual void WriteModels(string repository)
    {
    }

    /// <summary>Stops the server, leaving its folders; for fixtures that close their own stores after the host.</summary>
    public async Task DisposeHostAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeHostAsync();

        TryDelete(Repository);
        TryDelete(Home);
        GC.SuppressFinalize(this);
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
