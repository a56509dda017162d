using Ferry.Server.Registry;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;

namespace Ferry.Batch.Tests;

/// <summary>A real Kestrel server with the model registry (SQLite and blobs in its home) and a data folder; no repository models.</summary>
public sealed class BatchRegistryServerFixture : FerryServerFixture, IAsyncLifetime
{
    private RegistryBackend? _backend;

    public string DataRoot => Path.Combine(Home, "data");

    public RegistryBackend Backend => _backend ?? throw new InvalidOperationException("not started");

    async Task IAsyncLifetime.InitializeAsync()
    {
        Directory.CreateDirectory(DataRoot);
        _backend = await RegistryBackend.OpenAsync(Home, new RegistryOptions(), null, CancellationToken.None);
        await StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // The host first: its services use the store until they stop.
        await DisposeHostAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        await DisposeAsync();
    }

    protected override void ConfigureServer(WebApplicationBuilder builder) => builder.Services.AddFerryRegistry(Backend, new RegistryOptions());
}
