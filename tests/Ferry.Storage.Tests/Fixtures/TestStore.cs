using Ferry.Storage.Blobs;
using Ferry.Storage.Postgres;
using Ferry.Storage.Sqlite;
using Ferry.Tracking.Registry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Storage.Tests.Fixtures;

/// <summary>
/// A fresh metadata store (SQLite file or PostgreSQL database), a blob folder and a registry over both, with a fake
/// clock. Disposing closes the store and deletes the folder.
/// </summary>
public sealed class TestStore(string kind, string folder, string location) : IAsyncDisposable
{
    private IMetadataStore? _store;
    private ModelRegistry? _registry;

    public string Kind { get; } = kind;

    public string Folder { get; } = folder;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public IMetadataStore Store => _store ?? throw new InvalidOperationException("not open");

    public FileBlobStore Blobs { get; } = new(Path.Combine(folder, "blobs"));

    public ModelRegistry Registry => _registry ??= new ModelRegistry(Store, Blobs, Time, NullLogger<ModelRegistry>.Instance);

    /// <summary>Opens the store, or opens it again as a restarted process would (migrations run again).</summary>
    public async Task OpenAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _registry = null;
        _store = Kind == StoreKinds.Sqlite
            ? await SqliteMetadataStore.OpenAsync(location, null, CancellationToken.None)
            : await PostgresMetadataStore.OpenAsync(location, null, CancellationToken.None);
    }

    /// <summary>The digests present in the blob folder.</summary>
    public IReadOnlyList<string> BlobFiles()
    {
        var root = Path.Combine(Folder, "blobs", "sha256");
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(Path.GetDirectoryName(f)) + Path.GetFileName(f)).ToArray()
            : [];
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }
}
