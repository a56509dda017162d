namespace Ferry.Monitoring.Labels;

/// <summary>The true outcome of one logged prediction, joined by request id and row (0 for unbatched models).</summary>
public sealed record GroundTruth(string RequestId, int Row, LabelValue Label, DateTimeOffset ReceivedAt);
