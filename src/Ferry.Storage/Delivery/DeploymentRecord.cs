namespace Ferry.Storage.Delivery;

/// <summary>
/// A deployment as stored: its name, the model it serves and its whole state as one JSON document owned by the
/// delivery layer. <see cref="Revision"/> grows by one on every write, so two writers cannot overwrite each other.
/// </summary>
public sealed record DeploymentRecord
{
    public required string Name { get; init; }

    public required string Model { get; init; }

    /// <summary>The delivery layer's document (spec and state); the store never reads inside it.</summary>
    public required string Document { get; init; }

    public long Revision { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
