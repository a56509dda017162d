using System.Security.Cryptography;
using System.Text.Json;
using Ferry.Batch.Io;
using Ferry.Batch.Models;

namespace Ferry.Batch.Checkpoint;

/// <summary>
/// What a checkpoint must match to be continued: each input file's name, size and SHA-256, the model's name,
/// version and SHA-256, and every option that changes the output bytes.
/// </summary>
public static class Fingerprint
{
    public static async Task<string> ComputeAsync(IReadOnlyList<InputFile> files, ResolvedModel model, BatchJobSpec spec, OutputFormat format, CancellationToken cancellationToken)
    {
        var inputs = new List<object>();
        foreach (var file in files)
        {
            inputs.Add(new { file.Name, file.Size, Sha256 = await DigestAsync(file.Path, cancellationToken).ConfigureAwait(false) });
        }

        var document = new
        {
            Inputs = inputs,
            Model = new { model.Name, model.Version, Sha256 = await DigestAsync(model.Path, cancellationToken).ConfigureAwait(false) },
            Options = new
            {
                Format = format.ToString(),
                Map = spec.Map.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Key + "=" + m.Value),
                spec.Keep,
                spec.Outputs,
                spec.ChunkRows,
                OnError = spec.OnError.ToString(),
                Shard = spec.Shard.ToString(),
            },
        };
        return JsonSerializer.Serialize(document);
    }

    /// <summary>Says which part differs, so the refusal message can tell the user what changed.</summary>
    public static string Describe(string recorded, string current)
    {
        using var a = JsonDocument.Parse(recorded);
        using var b = JsonDocument.Parse(current);
        var changed = new List<string>();
        foreach (var part in new[] { "Inputs", "Model", "Options" })
        {
            if (!a.RootElement.TryGetProperty(part, out var x) || !b.RootElement.TryGetProperty(part, out var y) || x.GetRawText() != y.GetRawText())
            {
                changed.Add(part switch { "Inputs" => "the input files", "Model" => "the model", _ => "the options" });
            }
        }

        return changed.Count == 0 ? "the checkpoint" : string.Join(" and ", changed);
    }

    private static async Task<string> DigestAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
