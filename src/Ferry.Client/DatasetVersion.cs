namespace Ferry.Client;

/// <summary>A registered dataset version as the server reports it; <see cref="Created"/> is false when the content was known.</summary>
public sealed record DatasetVersion(string Id, string Name, long Version, string Digest, string Source, long RowCount, bool Created);
