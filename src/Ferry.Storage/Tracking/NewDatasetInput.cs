namespace Ferry.Storage.Tracking;

/// <summary>A dataset named by a run's log-inputs call: linked to the version of that name and digest, created if new.</summary>
public sealed record NewDatasetInput(DatasetVersionRecord Dataset, string Context);
