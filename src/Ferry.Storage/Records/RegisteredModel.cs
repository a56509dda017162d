namespace Ferry.Storage;

/// <summary>A registered model: a name under which versions are kept, with its tags and aliases.</summary>
public sealed record RegisteredModel
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The highest version number ever given; numbers are not reused after a delete.</summary>
    public required long LastVersion { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Alias name to version number.</summary>
    public IReadOnlyDictionary<string, long> Aliases { get; init; } = new Dictionary<string, long>();
}
