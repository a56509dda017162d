namespace Ferry.Storage.Blobs;

/// <summary>A stored blob: its lower-case hex SHA-256 and its length.</summary>
public sealed record BlobInfo(string Digest, long SizeBytes);
