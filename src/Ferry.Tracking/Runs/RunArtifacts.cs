using Ferry.Storage;
using Ferry.Storage.Blobs;
using Ferry.Storage.Tracking;

namespace Ferry.Tracking.Runs;

/// <summary>
/// Files logged to runs: bytes in the blob store by digest, a row per (run, path) in the metadata store. Also turns
/// an MLflow model <c>source</c> (<c>runs:/&lt;run_id&gt;/model</c> or the run's artifact URI) into the ONNX file it names.
/// </summary>
public sealed class RunArtifacts(IMetadataStore store, IBlobStore blobs, TimeProvider time)
{
    /// <summary>The scheme of run artifact URIs; MLflow clients upload to <c>/api/2.0/mlflow-artifacts/artifacts/...</c> for it.</summary>
    public const string Scheme = "mlflow-artifacts";

    private const int MaxPathLength = 1000;

    /// <summary>Stores the content as the run's artifact at <paramref name="path"/>, replacing what was there.</summary>
    public async Task<RunArtifact> PutAsync(string runId, string path, Stream content, CancellationToken cancellationToken)
    {
        CheckPath(path);
        var run = await store.Tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw RunMissing(runId);
        if (run.LifecycleStage != LifecycleStages.Active)
        {
            throw FerryException.Invalid($"The run {runId} must be in the 'active' state. Current state is {run.LifecycleStage}.");
        }

        var blob = await blobs.PutAsync(content, cancellationToken).ConfigureAwait(false);
        var artifact = new RunArtifact(runId, path, blob.Digest, blob.SizeBytes, time.GetUtcNow());
        await store.Tracking.PutRunArtifactAsync(artifact, cancellationToken).ConfigureAwait(false);
        return artifact;
    }

    /// <summary>Opens the artifact; the caller disposes the stream, which checks the digest at its end.</summary>
    public async Task<(RunArtifact Artifact, Stream Content)> OpenAsync(string runId, string path, CancellationToken cancellationToken)
    {
        var artifact = await store.Tracking.GetRunArtifactAsync(runId, path, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"Run '{runId}' has no artifact '{path}'");
        return (artifact, await blobs.OpenReadAsync(artifact.BlobDigest, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The entries directly under <paramref name="directory"/> (the root when empty): files, and folders once each.</summary>
    public async Task<IReadOnlyList<RunArtifactEntry>> ListAsync(string runId, string? directory, CancellationToken cancellationToken)
    {
        _ = await store.Tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw RunMissing(runId);
        var prefix = string.IsNullOrEmpty(directory) ? "" : directory.TrimEnd('/') + "/";
        var entries = new List<RunArtifactEntry>();
        foreach (var artifact in await store.Tracking.ListRunArtifactsAsync(runId, prefix, cancellationToken).ConfigureAwait(false))
        {
            var slash = artifact.Path.IndexOf('/', prefix.Length);
            if (slash < 0)
            {
                entries.Add(new RunArtifactEntry(artifact.Path, false, artifact.SizeBytes));
            }
            else if (entries.Count == 0 || entries[^1].Path != artifact.Path[..slash])
            {
                // Paths come sorted, so a folder's files are adjacent and the folder is added once.
                entries.Add(new RunArtifactEntry(artifact.Path[..slash], true, null));
            }
        }

        return entries;
    }

    /// <summary>
    /// The ONNX artifact an MLflow model source names: the file itself, or the one <c>.onnx</c> file in the folder
    /// (<c>model.onnx</c> when there are several). Anything else is InvalidArgument naming <c>source</c>.
    /// </summary>
    public async Task<RunArtifact> ResolveModelSourceAsync(string source, CancellationToken cancellationToken)
    {
        var (runId, path) = ParseSource(source);
        var run = await store.Tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.Invalid($"Invalid value '{source}' for parameter 'source': run '{runId}' does not exist");
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
            && await store.Tracking.GetRunArtifactAsync(run.RunId, path, cancellationToken).ConfigureAwait(false) is { } file)
        {
            return file;
        }

        var prefix = path.Length == 0 ? "" : path.TrimEnd('/') + "/";
        RunArtifact? found = null;
        var count = 0;
        foreach (var artifact in await store.Tracking.ListRunArtifactsAsync(run.RunId, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!artifact.Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            count++;
            if (found is null || artifact.Path == prefix + "model.onnx")
            {
                found = artifact;
            }
        }

        if (found is null || (count > 1 && found.Path != prefix + "model.onnx"))
        {
            throw FerryException.Invalid(count == 0
                ? $"Invalid value '{source}' for parameter 'source': run '{run.RunId}' has no ONNX model at '{path}'"
                : $"Invalid value '{source}' for parameter 'source': run '{run.RunId}' has {count} ONNX files under '{path}' and none is model.onnx");
        }

        return found;
    }

    /// <summary>Splits <c>runs:/&lt;run_id&gt;/path</c> or <c>&lt;scheme&gt;:/&lt;experiment&gt;/&lt;run_id&gt;/artifacts/path</c>.</summary>
    public static (string RunId, string Path) ParseSource(string source)
    {
        var invalid = FerryException.Invalid(
            $"Invalid value '{source}' for parameter 'source': expected runs:/<run_id>/<path> or the run's artifact URI ({Scheme}:/<experiment_id>/<run_id>/artifacts/<path>)");
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw invalid;
        }

        var scheme = source[..colon];
        var segments = source[(colon + 1)..].TrimStart('/').Split('/');
        if (scheme == "runs" && segments is [{ Length: > 0 } run, ..])
        {
            return (run, string.Join('/', segments[1..]));
        }

        if (scheme is Scheme or "ferry-artifacts" && segments is [_, { Length: > 0 } owner, "artifacts", ..])
        {
            return (owner, string.Join('/', segments[3..]));
        }

        throw invalid;
    }

    private static void CheckPath(string path)
    {
        if (path.Length is 0 or > MaxPathLength || path.StartsWith('/') || path.EndsWith('/') || path.Contains('\\', StringComparison.Ordinal)
            || path.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw FerryException.Invalid($"Invalid value '{path}' for parameter 'path': use a relative path of 1-{MaxPathLength} characters without '.', '..' or empty segments");
        }
    }

    private static FerryException RunMissing(string runId) => FerryException.NotFound($"Run '{runId}' not found");
}
