namespace Ferry.Storage.Tracking;

/// <summary>A file logged to a run: its path inside the run's artifact root and the blob holding its bytes.</summary>
public sealed record RunArtifact(string RunId, string Path, string BlobDigest, long SizeBytes, DateTimeOffset CreatedAt);
