namespace Ferry.Storage.Tracking;

/// <summary>A dataset version a run used, and what for ("train", "validation", "test", or the client's word).</summary>
public sealed record RunInput(DatasetVersionRecord Dataset, string Context);
