namespace Ferry.Storage.Tracking;

/// <summary>One sort key of a run search.</summary>
public sealed record RunOrder(RunField Field, bool Descending);
