namespace Ferry.Delivery.Gates;

/// <summary>
/// One check of a gate: whether it passed, the measured <see cref="Value"/> against its <see cref="Threshold"/> (both
/// in <see cref="Unit"/>, null when the check is not numeric), and a message that says why.
/// </summary>
public sealed record GateCheck
{
    public required string Name { get; init; }

    public required bool Passed { get; init; }

    public double? Value { get; init; }

    public double? Threshold { get; init; }

    public string? Unit { get; init; }

    /// <summary>What the value was compared with when that is not the threshold itself: the champion's metric.</summary>
    public double? Reference { get; init; }

    /// <summary>How far the value is from the threshold (or the reference), signed: value minus threshold (or reference).</summary>
    public double? Difference { get; init; }

    public required string Message { get; init; }
}
