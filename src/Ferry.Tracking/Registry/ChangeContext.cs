namespace Ferry.Tracking.Registry;

/// <summary>Who makes a change and, optionally, why; written to the audit log with it.</summary>
public sealed record ChangeContext(string Actor, string? Reason = null);
