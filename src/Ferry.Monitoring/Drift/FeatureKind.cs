namespace Ferry.Monitoring.Drift;

public enum FeatureKind
{
    Numeric,
    Categorical,
}
