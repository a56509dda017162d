namespace Ferry.Storage.Tracking;

/// <summary>What a filter clause or sort key names: <c>metrics.k</c>, <c>params.k</c>, <c>tags.k</c> or <c>attributes.k</c>.</summary>
public enum RunFieldKind
{
    Metric,
    Param,
    Tag,
    Attribute,
}
