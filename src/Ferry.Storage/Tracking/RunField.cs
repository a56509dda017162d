namespace Ferry.Storage.Tracking;

/// <summary>What a filter clause or sort key names: <c>metrics.k</c>, <c>params.k</c>, <c>tags.k</c> or <c>attributes.k</c>.</summary>
public enum RunFieldKind
{
    Metric,
    Param,
    Tag,
    Attribute,
}

/// <summary>A field of a run; for attributes <see cref="Key"/> is one of <see cref="RunAttributes"/>.</summary>
public sealed record RunField(RunFieldKind Kind, string Key);
