using System.Net.Http.Headers;
using Ferry.Server.Registry;
using Ferry.Storage;
using Ferry.Tests;
using Ferry.Tracking.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Server.Tests.Registry;

/// <summary>
/// A real server with the registry on SQLite in its home, auth on, a small upload limit, and one token per role.
/// </summary>
public sealed class RegistryServerFixture : FerryServerFixture, IAsyncLifetime
{
    public const long UploadLimit = 256 * 1024;

    private RegistryBackend? _backend;

    public string ReaderToken { get; private set; } = "";

    public string WriterToken { get; private set; } = "";

    public RegistryBackend Backend => _backend ?? throw new InvalidOperationException("not started");

    public RegistryOptions Options { get; } = new() { Auth = true, MaxUploadBytes = UploadLimit };

    async Task IAsyncLifetime.InitializeAsync()
    {
        _backend = await RegistryBackend.OpenAsync(Home, Options, null, CancellationToken.None);
        await StartAsync();
        var tokens = App.Services.GetRequiredService<TokenService>();
        ReaderToken = await tokens.CreateAsync("reader", TokenRole.Reader, CancellationToken.None);
        WriterToken = await tokens.CreateAsync("writer", TokenRole.Writer, CancellationToken.None);
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

    /// <summary>A client of its own that sends the token given (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var http = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    protected override void ConfigureServer(WebApplicationBuilder builder) => builder.Services.AddFerryRegistry(Backend, Options);
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryServerFixture>
{
    public const string Name = "registry";
}
