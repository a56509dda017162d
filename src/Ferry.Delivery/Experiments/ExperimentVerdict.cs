namespace Ferry.Delivery.Experiments;

/// <summary>
/// The A/B report's conclusion: <see cref="Decision"/> <c>winner</c> with the <see cref="Recommended"/> variant and
/// the test that decided (<see cref="Metric"/>, <see cref="PValue"/>), or <c>keep_collecting</c>; every test run is in
/// <see cref="Tests"/>.
/// </summary>
public sealed record ExperimentVerdict
{
    /// <summary><c>winner</c> or <c>keep_collecting</c>.</summary>
    public required string Decision { get; init; }

    /// <summary>The role of the variant to keep (<c>stable</c> or <c>candidate</c>); null while collecting.</summary>
    public string? Recommended { get; init; }

    /// <summary>Its version; null while collecting.</summary>
    public long? RecommendedVersion { get; init; }

    /// <summary>The metric that decided (or the closest call while collecting); null when nothing could be tested yet.</summary>
    public string? Metric { get; init; }

    public double? PValue { get; init; }

    public required string Explanation { get; init; }

    public required IReadOnlyList<ExperimentTest> Tests { get; init; }
}

/// <summary>One significance test of the candidate (B) against stable (A) on one metric.</summary>
public sealed record ExperimentTest
{
    /// <summary><c>error_rate</c>, <c>latency_mean</c> or <c>prediction_distribution</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The test: <c>two-proportion z</c>, <c>Welch t</c>, <c>chi-square homogeneity</c>.</summary>
    public required string Test { get; init; }

    public required double Statistic { get; init; }

    public double? DegreesOfFreedom { get; init; }

    public required double PValue { get; init; }

    /// <summary>The level the p-value is held to.</summary>
    public required double Alpha { get; init; }

    public required bool Significant { get; init; }

    /// <summary>Candidate minus stable (a rate or milliseconds); null for the distribution test.</summary>
    public double? Difference { get; init; }

    /// <summary>Cohen's h (rates) or d (means), candidate vs stable; null for the distribution test.</summary>
    public double? EffectSize { get; init; }

    /// <summary>The better variant's role when the difference is significant (and, for latency, large enough to matter).</summary>
    public string? Better { get; init; }

    public required string Message { get; init; }
}
