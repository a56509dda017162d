namespace Ferry.Delivery.Experiments;

/// <summary>Compares the variants of an A/B experiment and recommends one (<see cref="SignificanceExperimentAnalyzer"/>).</summary>
public interface IExperimentAnalyzer
{
    /// <summary>A verdict on <paramref name="control"/> (A) against <paramref name="treatment"/> (B), or null when none can be given.</summary>
    ExperimentVerdict? Compare(VariantReport control, VariantReport treatment);
}
