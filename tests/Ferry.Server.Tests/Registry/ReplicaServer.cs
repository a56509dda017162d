using Ferry.Server.Registry;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Server.Tests.Registry;

/// <summary>A second replica sharing another server's SQLite store and blobs, with its polling clock in the test's hands.</summary>
public sealed class ReplicaServer(string sharedHome) : FerryServerFixture
{
    private RegistryBackend? _backend;

    public FakeTimeProvider Time { get; } = new();

    public RegistryOptions Options { get; } = new()
    {
        Store = "sqlite:" + Path.Combine(sharedHome, "ferry.db"),
        BlobsDirectory = Path.Combine(sharedHome, "blobs"),
    };

    public async Task OpenAndStartAsync()
    {
        _backend = await RegistryBackend.OpenAsync(Home, Options, null, CancellationToken.None);
        await StartAsync();
    }

    public async Task StopAsync()
    {
        await DisposeHostAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        await DisposeAsync();
    }

    protected override void ConfigureServer(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddFerryRegistry(_backend!, Options);
    }
}
