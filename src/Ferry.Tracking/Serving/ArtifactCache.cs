using Ferry.Storage.Blobs;

namespace Ferry.Tracking.Serving;

/// <summary>
/// Local copies of registered artifacts, one file per digest. ONNX Runtime opens a path, and the blob store may be
/// remote; each copy is read through the blob store's verifying stream, so a corrupt blob never reaches a session.
/// </summary>
internal sealed class ArtifactCache(IBlobStore blobs, string directory)
{
    /// <summary>The path of a verified copy of the blob, copying it first when there is none.</summary>
    public async Task<string> GetAsync(string digest, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(directory, digest[..2], digest);
        var path = Path.Combine(folder, "model.onnx");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(folder);
        // Copy beside the target and rename: a crash or a digest mismatch leaves no file that looks complete.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var source = await blobs.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false))
            await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
