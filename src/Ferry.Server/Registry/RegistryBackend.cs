using Ferry.Storage;
using Ferry.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Registry;

/// <summary>The registry's stores, opened before the host is built; whoever opens it disposes it after the host.</summary>
public sealed class RegistryBackend : IAsyncDisposable
{
    private RegistryBackend(IMetadataStore store, IBlobStore blobs, string home)
    {
        Store = store;
        Blobs = blobs;
        Home = home;
    }

    public IMetadataStore Store { get; }

    public IBlobStore Blobs { get; }

    /// <summary>The home folder: uploads are spooled and served artifacts cached under it.</summary>
    public string Home { get; }

    public static async Task<RegistryBackend> OpenAsync(string home, RegistryOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(home);
        var store = await MetadataStores.OpenAsync(options.Store, home, logger, cancellationToken).ConfigureAwait(false);
        var blobs = new FileBlobStore(options.BlobsDirectory ?? Path.Combine(home, "blobs"));
        return new RegistryBackend(store, blobs, home);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
