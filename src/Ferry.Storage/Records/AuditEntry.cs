namespace Ferry.Storage;

/// <summary>One change to a registered model: who did what, when and why.</summary>
public sealed record AuditEntry
{
    /// <summary>Ascending in the order the entries were written; 0 for an entry not yet stored.</summary>
    public long Id { get; init; }

    public required string ModelName { get; init; }

    public long? Version { get; init; }

    public required AuditAction Action { get; init; }

    /// <summary>What changed, e.g. <c>champion: 3 -&gt; 4</c> or <c>stage=prod</c>.</summary>
    public string? Detail { get; init; }

    public required string Actor { get; init; }

    public string? Reason { get; init; }

    public required DateTimeOffset At { get; init; }
}
