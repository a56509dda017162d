namespace Ferry.Delivery.Experiments;

/// <summary>
/// Compares the variants of an A/B experiment and recommends one. The significance test itself is built
/// separately (Ferry.Delivery/Statistics); until it is wired in, <see cref="NoExperimentAnalyzer"/> answers null
/// and the status shows the per-variant measurements without a verdict.
/// </summary>
public interface IExperimentAnalyzer
{
    /// <summary>A verdict on <paramref name="control"/> (A) against <paramref name="treatment"/> (B), or null when none can be given.</summary>
    ExperimentVerdict? Compare(VariantReport control, VariantReport treatment);
}

/// <summary>The test's outcome: which metric, its p-value and the variant recommended (null: keep measuring).</summary>
public sealed record ExperimentVerdict(string Metric, double PValue, string? Recommended, string Explanation);

/// <summary>The placeholder until the significance tests land: no verdict.</summary>
public sealed class NoExperimentAnalyzer : IExperimentAnalyzer
{
    // TODO(issue 8): replace with the significance test from Ferry.Delivery/Statistics once that branch merges.
    public ExperimentVerdict? Compare(VariantReport control, VariantReport treatment) => null;
}
