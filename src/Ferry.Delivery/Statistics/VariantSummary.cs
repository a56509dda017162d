namespace Ferry.Delivery.Statistics;

/// <summary>
/// What one variant of an experiment observed: <see cref="Count"/> observations with <see cref="Successes"/> for a
/// proportion metric, or their <see cref="Mean"/> and sample <see cref="Variance"/> for a mean metric.
/// </summary>
public sealed record VariantSummary
{
    public required string Name { get; init; }

    public required long Count { get; init; }

    public long? Successes { get; init; }

    public double? Mean { get; init; }

    /// <summary>The sample variance (divided by n - 1).</summary>
    public double? Variance { get; init; }

    public static VariantSummary Proportion(string name, long successes, long count) => new() { Name = name, Count = count, Successes = successes };

    public static VariantSummary Means(string name, long count, double mean, double variance) =>
        new() { Name = name, Count = count, Mean = mean, Variance = variance };
}
