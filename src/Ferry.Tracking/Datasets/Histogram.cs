namespace Ferry.Tracking.Datasets;

/// <summary>Equal-width bins from min to max: <c>Edges</c> has one more element than <c>Counts</c>; the last bin includes max.</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);
