namespace Ferry.Tracking.Runs;

/// <summary>MLflow's request limits, kept so that what an MLflow server accepts Ferry accepts, and no more.</summary>
public static class TrackingLimits
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;
    public const int MaxDatasetsPerInputsCall = 1000;
}
