namespace Ferry.Monitoring.Drift;

/// <summary>A statistical test of one feature's current sketch against its reference; picked by <see cref="Name"/>.</summary>
public interface IDriftTest
{
    string Name { get; }

    /// <summary>The threshold used when none is given: a p-value for tests, a distance otherwise.</summary>
    double DefaultThreshold { get; }

    bool Supports(FeatureKind kind);

    DriftTestResult Run(FeatureProfile reference, FeatureSketch current, double threshold);
}
