namespace Ferry.Tracking.Datasets;

public sealed record CategoryCount(string Value, long Count);
