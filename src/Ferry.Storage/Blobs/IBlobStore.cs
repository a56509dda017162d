namespace Ferry.Storage.Blobs;

/// <summary>
/// Bytes addressed by their SHA-256: the same content is stored once, and every read is checked against the
/// digest it was asked for. Implementations: a folder (<see cref="FileBlobStore"/>), later S3.
/// </summary>
public interface IBlobStore
{
    /// <summary>"file", "s3", ...: picks the implementation by configuration.</summary>
    string Name { get; }

    /// <summary>Stores the content (read to its end) and returns its digest; storing the same bytes again is harmless.</summary>
    Task<BlobInfo> PutAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a blob for reading. The stream checks the digest as it is read and throws a <see cref="FerryException"/>
    /// when the end is reached and the content does not match; the caller owns and disposes the stream.
    /// </summary>
    Task<Stream> OpenReadAsync(string digest, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string digest, CancellationToken cancellationToken);

    /// <summary>True when the blob existed.</summary>
    Task<bool> DeleteAsync(string digest, CancellationToken cancellationToken);
}
