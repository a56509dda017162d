using System.Text.Json.Nodes;

namespace Ferry.Client;

/// <summary>Experiments and runs over the MLflow-compatible API; batches larger than MLflow's limits are split.</summary>
public sealed class TrackingClient(HttpClient http, TimeProvider time)
{
    private const string Api = "api/2.0/mlflow/";
    private const int MetricsPerCall = 1000;
    private const int ParamsOrTagsPerCall = 100;

    /// <summary>The id of the experiment of that name, created if it does not exist.</summary>
    public async Task<string> EnsureExperimentAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await Calls.GetAsync(http, Api + "experiments/get-by-name?experiment_name=" + Uri.EscapeDataString(name), cancellationToken).ConfigureAwait(false);
            return (string)found["experiment"]!["experiment_id"]!;
        }
        catch (FerryClientException e) when (e.Code == "RESOURCE_DOES_NOT_EXIST")
        {
            var created = await Calls.PostAsync(http, Api + "experiments/create", new JsonObject { ["name"] = name }, cancellationToken).ConfigureAwait(false);
            return (string)created["experiment_id"]!;
        }
    }

    public async Task<string> CreateRunAsync(string experimentId, string runName, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["experiment_id"] = experimentId, ["run_name"] = runName, ["start_time"] = Now() };
        var created = await Calls.PostAsync(http, Api + "runs/create", body, cancellationToken).ConfigureAwait(false);
        return (string)created["run"]!["info"]!["run_id"]!;
    }

    public Task LogParamsAsync(string runId, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken) =>
        LogPairsAsync(runId, "params", values, cancellationToken);

    public Task SetTagsAsync(string runId, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken) =>
        LogPairsAsync(runId, "tags", values, cancellationToken);

    /// <summary>Logs metric values at one step, stamped now.</summary>
    public async Task LogMetricsAsync(string runId, IReadOnlyDictionary<string, double> values, long step, CancellationToken cancellationToken)
    {
        var now = Now();
        foreach (var chunk in values.Chunk(MetricsPerCall))
        {
            var metrics = new JsonArray(chunk.Select(m => (JsonNode)new JsonObject { ["key"] = m.Key, ["value"] = m.Value, ["timestamp"] = now, ["step"] = step }).ToArray());
            await Calls.PostAsync(http, Api + "runs/log-batch", new JsonObject { ["run_id"] = runId, ["metrics"] = metrics }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Links a dataset (by name and digest, as registered) to the run with a context such as "train".</summary>
    public Task LogInputAsync(string runId, DatasetVersion dataset, string context, CancellationToken cancellationToken) =>
        Calls.PostAsync(http, Api + "runs/log-inputs", new JsonObject
        {
            ["run_id"] = runId,
            ["datasets"] = new JsonArray(new JsonObject
            {
                ["tags"] = new JsonArray(new JsonObject { ["key"] = "mlflow.data.context", ["value"] = context }),
                ["dataset"] = new JsonObject { ["name"] = dataset.Name, ["digest"] = dataset.Digest, ["source_type"] = "local", ["source"] = dataset.Source },
            }),
        }, cancellationToken);

    /// <summary>Ends the run with a status (FINISHED, FAILED, KILLED).</summary>
    public Task EndRunAsync(string runId, string status, CancellationToken cancellationToken) =>
        Calls.PostAsync(http, Api + "runs/update", new JsonObject { ["run_id"] = runId, ["status"] = status, ["end_time"] = Now() }, cancellationToken);

    private async Task LogPairsAsync(string runId, string field, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        foreach (var chunk in values.Chunk(ParamsOrTagsPerCall))
        {
            var pairs = new JsonArray(chunk.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray());
            await Calls.PostAsync(http, Api + "runs/log-batch", new JsonObject { ["run_id"] = runId, [field] = pairs }, cancellationToken).ConfigureAwait(false);
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
