using Ferry.Storage;
using Ferry.Tracking.Registry;

namespace Ferry.Delivery.Gates;

/// <summary>
/// Local copies of registered artifacts for the gate to load, one file per digest under
/// <see cref="GateOptions.WorkDirectory"/>, read through the registry's verifying stream.
/// </summary>
internal sealed class GateArtifacts(ModelRegistry registry, GateOptions options)
{
    public async Task<string> GetAsync(ModelVersionRecord version, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(options.WorkDirectory, version.BlobDigest[..2]);
        var path = Path.Combine(folder, version.BlobDigest + ".onnx");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(folder);
        // Copy beside the target and rename: a failed copy leaves nothing that looks complete.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var source = await registry.OpenArtifactAsync(version.ModelName, version.Version, cancellationToken).ConfigureAwait(false))
            await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
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
