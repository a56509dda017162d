namespace Ferry.Storage.Tracking;

/// <summary>A field of a run; for attributes <see cref="Key"/> is one of <see cref="RunAttributes"/>.</summary>
public sealed record RunField(RunFieldKind Kind, string Key);
