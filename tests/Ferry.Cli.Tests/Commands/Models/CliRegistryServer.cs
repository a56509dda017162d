using Ferry.Server.Registry;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;

namespace Ferry.Cli.Tests.Commands.Models;

/// <summary>A real server with the registry (SQLite in its home, auth on) for the CLI to talk to; subclasses add models and services.</summary>
public class CliRegistryServer : FerryServerFixture, IAsyncLifetime
{
    private RegistryBackend? _backend;

    private readonly RegistryOptions _options = new() { Auth = true };

    async Task IAsyncLifetime.InitializeAsync()
    {
        _backend = await RegistryBackend.OpenAsync(Home, _options, null, CancellationToken.None);
        await StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeHostAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        await DisposeAsync();
    }

    protected override void ConfigureServer(WebApplicationBuilder builder) => builder.Services.AddFerryRegistry(_backend!, _options);
}
