using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Storage.Blobs;

/// <summary>
/// Blobs as files under <c>ROOT/sha256/ab/cdef...</c> (the first two hex digits fan out the folders).
/// </summary>
/// <remarks>
/// A put writes to a temporary file in the store's own <c>tmp</c> folder (same file system, so the rename is
/// atomic), fsyncs it, renames it into place and fsyncs the folder: after <see cref="PutAsync"/> returns the blob
/// survives a crash, and a crash before never leaves a partial file under a digest's name.
/// </remarks>
public sealed class FileBlobStore : IBlobStore
{
    private const int BufferSize = 1 << 16;

    // Temporary files older than this belong to a put that died; younger ones may belong to a put in progress.
    private static readonly TimeSpan StaleTemporary = TimeSpan.FromHours(1);

    private readonly string _root;
    private readonly string _temp;
    private readonly ILogger _logger;

    public FileBlobStore(string root, ILogger<FileBlobStore>? logger = null)
    {
        _root = Path.GetFullPath(root);
        _temp = Path.Combine(_root, "tmp");
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Directory.CreateDirectory(_temp);
        RemoveStaleTemporaries();
    }

    public string Name => "file";

    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".partial");
        try
        {
            string digest;
            long size;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                var buffer = new byte[BufferSize];
                int n;
                while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }

                file.Flush(flushToDisk: true);
                size = file.Length;
                digest = BlobDigest.Format(hash.GetHashAndReset());
            }

            var path = PathOf(digest);
            var folder = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(folder);

            // Overwriting an existing blob is harmless (same bytes) and heals one that was damaged on disk.
            File.Move(temp, path, overwrite: true);
            DirectorySync.Flush(folder);
            StorageLog.BlobStored(_logger, digest, size);
            return new BlobInfo(digest, size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<Stream> OpenReadAsync(string digest, CancellationToken cancellationToken)
    {
        var path = PathOf(BlobDigest.Check(digest));
        try
        {
            Stream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true);
            return Task.FromResult<Stream>(new VerifyingReadStream(file, digest));
        }
        catch (FileNotFoundException)
        {
            throw FerryException.NotFound($"blob {digest} is not in the store");
        }
        catch (DirectoryNotFoundException)
        {
            throw FerryException.NotFound($"blob {digest} is not in the store");
        }
    }

    public Task<bool> ExistsAsync(string digest, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(BlobDigest.Check(digest))));

    public Task<bool> DeleteAsync(string digest, CancellationToken cancellationToken)
    {
        var path = PathOf(BlobDigest.Check(digest));
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        StorageLog.BlobDeleted(_logger, digest);
        return Task.FromResult(true);
    }

    /// <summary>Where the blob's file is; for tools and tests that look at the folder itself.</summary>
    public string PathOf(string digest) => Path.Combine(_root, "sha256", digest[..2], digest[2..]);

    private void RemoveStaleTemporaries()
    {
        foreach (var file in new DirectoryInfo(_temp).EnumerateFiles("*.partial"))
        {
            if (DateTime.UtcNow - file.LastWriteTimeUtc > StaleTemporary)
            {
                file.Delete();
            }
        }
    }
}
