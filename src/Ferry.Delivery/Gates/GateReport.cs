namespace Ferry.Delivery.Gates;

/// <summary>The outcome of a gate: it passed when every check passed; <see cref="Checks"/> says which did not and by how much.</summary>
public sealed record GateReport
{
    public required string Model { get; init; }

    public required long Version { get; init; }

    public required bool Passed { get; init; }

    public required IReadOnlyList<GateCheck> Checks { get; init; }
}
