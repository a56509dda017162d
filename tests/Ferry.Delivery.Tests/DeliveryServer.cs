using Ferry.Delivery.Control;
using Ferry.Server.Registry;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Delivery.Tests;

/// <summary>
/// A real server with the registry and deployments on SQLite, its clock in the test's hands. Given the home of
/// another server, it opens that server's store and blobs: a restart of the same deployment.
/// </summary>
public sealed class DeliveryServer : FerryServerFixture
{
    /// <summary>The controller's interval in these tests; analysis windows are set to the same.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Action<WebApplicationBuilder>? _configure;
    private RegistryBackend? _backend;

    public DeliveryServer(string? sharedHome = null, FakeTimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        _configure = configure;
        var home = sharedHome ?? Home;
        StoreHome = home;
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        Options = new RegistryOptions
        {
            Store = "sqlite:" + Path.Combine(home, "ferry.db"),
            BlobsDirectory = Path.Combine(home, "blobs"),
        };
    }

    /// <summary>Where the store and blobs live: this server's home, or the one it shares.</summary>
    public string StoreHome { get; }

    public FakeTimeProvider Time { get; }

    public RegistryOptions Options { get; }

    public DeploymentController Controller => App.Services.GetRequiredService<DeploymentController>();

    /// <summary>Starts a server; <paramref name="configure"/> adds to its services (webhook endpoints, gate options).</summary>
    public static async Task<DeliveryServer> StartNewAsync(
        string? sharedHome = null, FakeTimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        var server = new DeliveryServer(sharedHome, time, configure);
        server._backend = await RegistryBackend.OpenAsync(server.Home, server.Options, null, CancellationToken.None);
        await server.StartAsync();
        return server;
    }

    /// <summary>Moves the clock one controller interval at a time and waits for each tick to finish: no wall-clock sleep.</summary>
    public async Task AdvanceAsync(int intervals = 1)
    {
        for (var i = 0; i < intervals; i++)
        {
            var done = Controller.CompletedTicks;
            Time.Advance(Interval);
            await Controller.WaitForTickAsync(done + 1).WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Stops the host and closes the store; the folders stay when another server shares them.</summary>
    public async Task StopAsync(bool keepFolders = false)
    {
        await DisposeHostAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
            _backend = null;
        }

        if (!keepFolders)
        {
            await DisposeAsync();
        }
    }

    protected override void ConfigureServer(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.Replace(ServiceDescriptor.Singleton(new DeliveryOptions { ControllerInterval = Interval, ShadowQueueCapacity = 64 }));
        builder.Services.AddFerryRegistry(_backend!, Options);
        _configure?.Invoke(builder);
    }
}
