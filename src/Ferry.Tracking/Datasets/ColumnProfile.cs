namespace Ferry.Tracking.Datasets;

/// <summary>
/// One column's profile. Numeric columns fill min to histogram; string columns fill distinct and top. Std is the
/// sample standard deviation (n - 1), quantiles interpolate linearly between order statistics (numpy's default).
/// </summary>
public sealed record ColumnProfile
{
    public required string Name { get; init; }

    /// <summary>"double" or "string".</summary>
    public required string Type { get; init; }

    /// <summary>Values present.</summary>
    public required long Count { get; init; }

    public required long Missing { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public double? Mean { get; init; }

    public double? Std { get; init; }

    /// <summary>Keyed by the quantile ("0.05", "0.25", "0.5", "0.75", "0.95").</summary>
    public IReadOnlyDictionary<string, double>? Quantiles { get; init; }

    public Histogram? Histogram { get; init; }

    /// <summary>Distinct values seen (a lower bound once more than <see cref="ColumnAccumulator.MaxDistinct"/>).</summary>
    public long? Distinct { get; init; }

    public IReadOnlyList<CategoryCount>? Top { get; init; }
}
