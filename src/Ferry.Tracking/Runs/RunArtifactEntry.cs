namespace Ferry.Tracking.Runs;

/// <summary>One entry of an artifact listing, as MLflow's <c>FileInfo</c>: a folder has no size.</summary>
public sealed record RunArtifactEntry(string Path, bool IsDir, long? FileSize);
