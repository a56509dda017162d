using System.Text.Json;

namespace Ferry.Batch.Checkpoint;

/// <summary>
/// Reads and durably writes the manifest and the part files of one output. Every file is written to a temporary
/// name, flushed to the disk and then renamed, so that a crash leaves either the old file or the new one.
/// </summary>
public sealed class CheckpointStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public CheckpointStore(string output)
    {
        Output = output;
        ManifestPath = output + ".ferry-checkpoint.json";
        PartsDirectory = output + ".ferry-parts";
    }

    public string Output { get; }

    public string ManifestPath { get; }

    public string PartsDirectory { get; }

    public CheckpointManifest? Load()
    {
        if (!File.Exists(ManifestPath))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllBytes(ManifestPath), Json);
        }
        catch (JsonException e)
        {
            throw new BatchUsageException($"the checkpoint {ManifestPath} is unreadable ({e.Message}); rerun with --restart");
        }
    }

    public Task SaveAsync(CheckpointManifest manifest, CancellationToken cancellationToken) =>
        WriteDurablyAsync(ManifestPath, (stream, ct) => JsonSerializer.SerializeAsync(stream, manifest, Json, ct), cancellationToken);

    /// <summary>Removes the manifest, the parts and any output: the start of a fresh run.</summary>
    public void Clear()
    {
        File.Delete(ManifestPath);
        File.Delete(Output);
        if (Directory.Exists(PartsDirectory))
        {
            Directory.Delete(PartsDirectory, recursive: true);
        }
    }

    public string PartPath(string name) => Path.Combine(PartsDirectory, name);

    /// <summary>Writes a file under a temporary name, flushes it to the disk, and renames it into place.</summary>
    public static async Task WriteDurablyAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        try
        {
            // Read access too: Parquet.Net checks what is already in the stream before it writes.
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
