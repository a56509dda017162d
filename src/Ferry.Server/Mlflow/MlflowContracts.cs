namespace Ferry.Server.Mlflow;

// MLflow's request and response messages (service.proto), as JSON with its snake_case field names.

public sealed record MlflowKeyValue(string Key, string Value);

public sealed record MlflowMetric(string Key, double Value, long Timestamp, long Step);

public sealed record MlflowExperiment(
    string ExperimentId, string Name, string ArtifactLocation, string LifecycleStage, long LastUpdateTime, long CreationTime, IReadOnlyList<MlflowKeyValue> Tags);

public sealed record MlflowRunInfo(
    string RunId, string RunUuid, string RunName, string ExperimentId, string UserId, string Status, long StartTime, long? EndTime,
    string ArtifactUri, string LifecycleStage);

public sealed record MlflowRunData(IReadOnlyList<MlflowMetric> Metrics, IReadOnlyList<MlflowKeyValue> Params, IReadOnlyList<MlflowKeyValue> Tags);

public sealed record MlflowDataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

public sealed record MlflowDatasetInput(IReadOnlyList<MlflowKeyValue>? Tags, MlflowDataset Dataset);

public sealed record MlflowRunInputs(IReadOnlyList<MlflowDatasetInput> DatasetInputs);

public sealed record MlflowRun(MlflowRunInfo Info, MlflowRunData Data, MlflowRunInputs Inputs);

public sealed record CreateExperimentRequest(string? Name, string? ArtifactLocation, IReadOnlyList<MlflowKeyValue>? Tags);

public sealed record SearchExperimentsRequest(long? MaxResults, string? PageToken, string? Filter, IReadOnlyList<string>? OrderBy, string? ViewType);

public sealed record UpdateExperimentRequest(string? ExperimentId, string? NewName);

public sealed record ExperimentIdRequest(string? ExperimentId);

public sealed record CreateRunRequest(string? ExperimentId, string? UserId, string? RunName, long? StartTime, IReadOnlyList<MlflowKeyValue>? Tags);

public sealed record UpdateRunRequest(string? RunId, string? RunUuid, string? Status, long? EndTime, string? RunName);

public sealed record RunIdRequest(string? RunId);

public sealed record SearchRunsRequest(
    IReadOnlyList<string>? ExperimentIds, string? Filter, string? RunViewType, int? MaxResults, IReadOnlyList<string>? OrderBy, string? PageToken);

public sealed record LogMetricRequest(string? RunId, string? RunUuid, string? Key, double? Value, long? Timestamp, long? Step);

public sealed record LogParamRequest(string? RunId, string? RunUuid, string? Key, string? Value);

public sealed record LogBatchRequest(string? RunId, IReadOnlyList<MlflowMetric>? Metrics, IReadOnlyList<MlflowKeyValue>? Params, IReadOnlyList<MlflowKeyValue>? Tags);

public sealed record LogInputsRequest(string? RunId, IReadOnlyList<MlflowDatasetInput>? Datasets);
