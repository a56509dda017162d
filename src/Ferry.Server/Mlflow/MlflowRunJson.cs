using System.Globalization;
using System.Text.Json;
using Ferry.Storage.Tracking;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Mlflow;

/// <summary>
/// Writes MLflow's <c>Run</c> message straight from the store's records with a <see cref="Utf8JsonWriter"/> on the
/// response pipe: a page of 100 runs is written without the intermediate message records and the serializer's
/// reflection over them. The output is the same JSON <see cref="MlflowJson.Options"/> gives for <see cref="MlflowRun"/>
/// (field order, snake_case, nulls left out, non-finite values as strings).
/// </summary>
internal static class MlflowRunJson
{
    private static readonly JsonEncodedText Info = JsonEncodedText.Encode("info");
    private static readonly JsonEncodedText RunId = JsonEncodedText.Encode("run_id");
    private static readonly JsonEncodedText RunUuid = JsonEncodedText.Encode("run_uuid");
    private static readonly JsonEncodedText RunName = JsonEncodedText.Encode("run_name");
    private static readonly JsonEncodedText ExperimentId = JsonEncodedText.Encode("experiment_id");
    private static readonly JsonEncodedText UserId = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText StartTime = JsonEncodedText.Encode("start_time");
    private static readonly JsonEncodedText EndTime = JsonEncodedText.Encode("end_time");
    private static readonly JsonEncodedText ArtifactUri = JsonEncodedText.Encode("artifact_uri");
    private static readonly JsonEncodedText LifecycleStage = JsonEncodedText.Encode("lifecycle_stage");
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText Metrics = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText Params = JsonEncodedText.Encode("params");
    private static readonly JsonEncodedText Tags = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Step = JsonEncodedText.Encode("step");
    private static readonly JsonEncodedText Inputs = JsonEncodedText.Encode("inputs");
    private static readonly JsonEncodedText DatasetInputs = JsonEncodedText.Encode("dataset_inputs");
    private static readonly JsonEncodedText Dataset = JsonEncodedText.Encode("dataset");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Digest = JsonEncodedText.Encode("digest");
    private static readonly JsonEncodedText SourceType = JsonEncodedText.Encode("source_type");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText Schema = JsonEncodedText.Encode("schema");
    private static readonly JsonEncodedText Profile = JsonEncodedText.Encode("profile");
    private static readonly JsonEncodedText ContextTag = JsonEncodedText.Encode(MlflowMapping.ContextTag);
    private static readonly JsonEncodedText NaN = JsonEncodedText.Encode("NaN");
    private static readonly JsonEncodedText PositiveInfinity = JsonEncodedText.Encode("Infinity");
    private static readonly JsonEncodedText NegativeInfinity = JsonEncodedText.Encode("-Infinity");

    /// <summary><c>runs/search</c>'s response: <c>{"runs": [...], "next_page_token": ...}</c>, the token left out when null.</summary>
    public static IResult Page(IReadOnlyList<RunRecord> runs, string? nextPageToken) => new JsonResult(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("runs");
        for (var i = 0; i < runs.Count; i++)
        {
            WriteRun(writer, runs[i]);
        }

        writer.WriteEndArray();
        if (nextPageToken is not null)
        {
            writer.WriteString("next_page_token", nextPageToken);
        }

        writer.WriteEndObject();
    });

    /// <summary><c>runs/get</c>'s response: <c>{"run": {...}}</c>.</summary>
    public static IResult One(RunRecord run) => new JsonResult(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName("run");
        WriteRun(writer, run);
        writer.WriteEndObject();
    });

    /// <summary>A metric value: a number, or for NaN and the infinities the strings Python's json module reads back.</summary>
    public static void WriteValue(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, double.IsNaN(value) ? NaN : value > 0 ? PositiveInfinity : NegativeInfinity);
        }
    }

    private static void WriteRun(Utf8JsonWriter writer, RunRecord run)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(Info);
        writer.WriteString(RunId, run.RunId);
        writer.WriteString(RunUuid, run.RunId);
        writer.WriteString(RunName, run.Name);
        writer.WriteString(ExperimentId, run.ExperimentId.ToString(CultureInfo.InvariantCulture));
        writer.WriteString(UserId, run.UserId);
        writer.WriteString(Status, run.Status);
        writer.WriteNumber(StartTime, run.StartTime);
        if (run.EndTime is { } end)
        {
            writer.WriteNumber(EndTime, end);
        }

        writer.WriteString(ArtifactUri, run.ArtifactUri);
        writer.WriteString(LifecycleStage, run.LifecycleStage);
        writer.WriteEndObject();

        writer.WriteStartObject(Data);
        writer.WriteStartArray(Metrics);
        var metrics = run.LatestMetrics;
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            writer.WriteStartObject();
            writer.WriteString(Key, m.Key);
            WriteValue(writer, Value, m.Value);
            writer.WriteNumber(Timestamp, m.Timestamp);
            writer.WriteNumber(Step, m.Step);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WritePairs(writer, Params, run.Params);
        WritePairs(writer, Tags, run.Tags);
        writer.WriteEndObject();

        writer.WriteStartObject(Inputs);
        writer.WriteStartArray(DatasetInputs);
        var inputs = run.Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var d = input.Dataset;
            writer.WriteStartObject();
            writer.WriteStartArray(Tags);
            writer.WriteStartObject();
            writer.WriteString(Key, ContextTag);
            writer.WriteString(Value, input.Context);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartObject(Dataset);
            writer.WriteString(Name, d.Name);
            writer.WriteString(Digest, d.Digest);
            writer.WriteString(SourceType, d.SourceType);
            writer.WriteString(Source, d.Source);
            if (d.SchemaJson is not null)
            {
                writer.WriteString(Schema, d.SchemaJson);
            }

            if (d.ProfileJson is not null)
            {
                writer.WriteString(Profile, d.ProfileJson);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WritePairs(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyDictionary<string, string> pairs)
    {
        writer.WriteStartArray(name);
        foreach (var (key, value) in pairs)
        {
            writer.WriteStartObject();
            writer.WriteString(Key, key);
            writer.WriteString(Value, value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>A 200 whose JSON body is written by <paramref name="write"/> on the response pipe, flushed once at the end.</summary>
    private sealed class JsonResult(Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
            write(writer);
            await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
