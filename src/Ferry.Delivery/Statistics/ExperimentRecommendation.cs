namespace Ferry.Delivery.Statistics;

/// <summary>
/// What the numbers say: keep collecting, or a winner with the comparison that decided it. For
/// <see cref="ExperimentDecision.KeepCollecting"/> the comparison fields hold the closest call so far when one was made.
/// </summary>
public sealed record ExperimentRecommendation
{
    public required ExperimentDecision Decision { get; init; }

    /// <summary>The winning variant; null while collecting.</summary>
    public string? Winner { get; init; }

    /// <summary>The control (the first variant) the challenger was compared with.</summary>
    public required string Baseline { get; init; }

    public string? Challenger { get; init; }

    /// <summary>The challenger's metric minus the baseline's (a rate or a mean).</summary>
    public double? Difference { get; init; }

    /// <summary>Standardised effect: Cohen's h for proportions, Cohen's d for means (challenger vs baseline).</summary>
    public double? EffectSize { get; init; }

    public TestResult? Test { get; init; }

    /// <summary>The level each comparison was held to: alpha over the number of comparisons.</summary>
    public required double Alpha { get; init; }

    public required string Reason { get; init; }
}

/// <summary>The outcome of an experiment analysis.</summary>
public enum ExperimentDecision
{
    KeepCollecting,
    Winner,
}
