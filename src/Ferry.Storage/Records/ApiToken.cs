namespace Ferry.Storage;

/// <summary>An API token as stored: its hash only, never the secret.</summary>
public sealed record ApiToken
{
    public required string Name { get; init; }

    public required TokenRole Role { get; init; }

    /// <summary>Lower-case hex SHA-256 of the secret.</summary>
    public required string Hash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
