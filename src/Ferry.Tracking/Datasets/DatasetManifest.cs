using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ferry.Batch.Io;

namespace Ferry.Tracking.Datasets;

/// <summary>
/// The content digest of a dataset: SHA-256 over a manifest of "relative path, tab, file SHA-256" lines sorted by
/// path. Renaming or changing any file changes it; copying the folder elsewhere does not.
/// </summary>
public static class DatasetManifest
{
    public static async Task<(string Digest, long Size)> DigestAsync(IReadOnlyList<InputFile> files, CancellationToken cancellationToken)
    {
        var manifest = new StringBuilder();
        long size = 0;
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file.Path);
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            manifest.Append(file.Name.Replace('\\', '/')).Append('\t').Append(Convert.ToHexStringLower(hash)).Append('\n');
            size += file.Size;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString()));
        return ("sha256:" + Convert.ToHexStringLower(digest), size);
    }

    public static string Describe(long size) => size.ToString(CultureInfo.InvariantCulture) + " bytes";
}
