using System.Globalization;
using Ferry.Storage.Tracking;

namespace Ferry.Server.Mlflow;

/// <summary>Turns tracking records into MLflow's messages and back.</summary>
internal static class MlflowMapping
{
    public const string ContextTag = "mlflow.data.context";

    public static MlflowExperiment ToMlflow(Experiment e) => new(
        Id(e.Id), e.Name, e.ArtifactLocation, e.LifecycleStage, e.UpdatedAt.ToUnixTimeMilliseconds(), e.CreatedAt.ToUnixTimeMilliseconds(),
        e.Tags.Select(t => new MlflowKeyValue(t.Key, t.Value)).ToArray());

    public static MlflowRunInfo Info(RunRecord r) => new(
        r.RunId, r.RunId, r.Name, Id(r.ExperimentId), r.UserId, r.Status, r.StartTime, r.EndTime, r.ArtifactUri, r.LifecycleStage);

    public static MlflowRun ToMlflow(RunRecord r) => new(
        Info(r),
        new MlflowRunData(
            r.LatestMetrics.Select(m => new MlflowMetric(m.Key, m.Value, m.Timestamp, m.Step)).ToArray(),
            r.Params.Select(p => new MlflowKeyValue(p.Key, p.Value)).ToArray(),
            r.Tags.Select(t => new MlflowKeyValue(t.Key, t.Value)).ToArray()),
        new MlflowRunInputs(r.Inputs.Select(i => new MlflowDatasetInput(
            [new MlflowKeyValue(ContextTag, i.Context)],
            new MlflowDataset(i.Dataset.Name, i.Dataset.Digest, i.Dataset.SourceType, i.Dataset.Source, i.Dataset.SchemaJson, i.Dataset.ProfileJson))).ToArray()));

    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(IReadOnlyList<MlflowKeyValue>? pairs) =>
        pairs?.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToArray() ?? [];

    public static NewDatasetInput FromMlflow(MlflowDatasetInput input)
    {
        var d = input.Dataset ?? throw FerryException.Invalid("Missing value for required parameter 'dataset'.");
        var context = input.Tags?.LastOrDefault(t => t.Key == ContextTag)?.Value ?? "";
        return new NewDatasetInput(new DatasetVersionRecord
        {
            Id = "", Name = d.Name, Version = 0, Digest = d.Digest, SourceType = d.SourceType ?? "", Source = d.Source ?? "",
            SchemaJson = d.Schema, ProfileJson = d.Profile, CreatedAt = DateTimeOffset.UnixEpoch,
        }, context);
    }

    public static ViewType View(string? viewType) => viewType?.ToUpperInvariant() switch
    {
        null or "" or "ACTIVE_ONLY" => ViewType.ActiveOnly,
        "DELETED_ONLY" => ViewType.DeletedOnly,
        "ALL" => ViewType.All,
        _ => throw FerryException.Invalid($"Invalid value '{viewType}' for view type: expected ACTIVE_ONLY, DELETED_ONLY or ALL"),
    };

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
