namespace Ferry.Storage;

/// <summary>Matches items that have the tag <see cref="Key"/>, with <see cref="Value"/> when it is given.</summary>
public sealed record TagFilter(string Key, string? Value = null);
