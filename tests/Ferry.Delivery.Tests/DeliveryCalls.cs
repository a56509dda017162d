using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Delivery.Tests;

/// <summary>One inference answer as a client sees it.</summary>
public sealed record InferAnswer(HttpStatusCode Status, string? Version, string? VersionHeader, float? Y, string Text)
{
    public bool Ok => Status == HttpStatusCode.OK;
}

/// <summary>One management API answer: status and JSON body.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonNode? Json, string Text)
{
    public ApiAnswer AssertOk()
    {
        Assert.True((int)Status is >= 200 and < 300, $"{(int)Status}: {Text}");
        return this;
    }

    public void AssertProblem(HttpStatusCode status, string fragment)
    {
        Assert.True(status == Status, $"expected {(int)status}, got {(int)Status}: {Text}");
        var detail = Json?["detail"]?.GetValue<string>();
        Assert.True(detail is not null, $"not a problem-details body: {Text}");
        Assert.Contains(fragment, detail, StringComparison.Ordinal);
    }

    public string Phase => Json!["deployment"]!["state"]!["phase"]!.GetValue<string>();

    public long Stable => Json!["deployment"]!["state"]!["stable_version"]!.GetValue<long>();
}

/// <summary>The calls the tests make, as any HTTP client makes them.</summary>
public static class DeliveryCalls
{
    public static async Task<long> RegisterAsync(this HttpClient http, string model, byte[] onnx)
    {
        using var content = new ByteArrayContent(onnx);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PostAsync($"/api/v1/registry/versions?name={Uri.EscapeDataString(model)}", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["version"]!.GetValue<long>();
    }

    public static Task<ApiAnswer> CreateDeploymentAsync(this HttpClient http, string json) => SendAsync(http, HttpMethod.Post, "/api/v1/deployments", json);

    public static Task<ApiAnswer> SetCandidateAsync(this HttpClient http, string name, string json) =>
        SendAsync(http, HttpMethod.Put, $"/api/v1/deployments/{name}/candidate", json);

    public static Task<ApiAnswer> ActAsync(this HttpClient http, string name, string action) =>
        SendAsync(http, HttpMethod.Post, $"/api/v1/deployments/{name}/{action}", null);

    public static Task<ApiAnswer> StatusAsync(this HttpClient http, string name) => SendAsync(http, HttpMethod.Get, $"/api/v1/deployments/{name}", null);

    public static async Task<JsonArray> HistoryAsync(this HttpClient http, string name)
    {
        var answer = (await SendAsync(http, HttpMethod.Get, $"/api/v1/deployments/{name}/history", null)).AssertOk();
        return answer.Json!["events"]!.AsArray();
    }

    /// <summary>Kinds of the history's events, oldest first.</summary>
    public static async Task<string[]> HistoryKindsAsync(this HttpClient http, string name) =>
        (await http.HistoryAsync(name)).Select(e => e!["kind"]!.GetValue<string>()).ToArray();

    /// <summary>Infers <c>y</c> for index <paramref name="x"/> at <c>/v2/models/{name}/infer</c>, with an assignment key when given.</summary>
    public static async Task<InferAnswer> InferAsync(this HttpClient http, string name, int x, string? key = null, bool preview = false, string? id = null)
    {
        var idField = id is null ? "" : $"\"id\": \"{id}\", ";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{name}/infer")
        {
            Content = new StringContent(
                $$"""{{{idField}}"inputs": [{"name": "x", "shape": [1], "datatype": "INT64", "data": [{{x.ToString(CultureInfo.InvariantCulture)}}]}]}""",
                Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("x-ferry-key", key);
        }

        if (preview)
        {
            request.Headers.Add("x-ferry-preview", "true");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var header = response.Headers.TryGetValues("x-ferry-model-version", out var values) ? values.First() : null;
        if (!response.IsSuccessStatusCode)
        {
            return new InferAnswer(response.StatusCode, null, header, null, text);
        }

        var json = JsonNode.Parse(text)!;
        return new InferAnswer(response.StatusCode, json["model_version"]?.GetValue<string>(), header, json["outputs"]![0]!["data"]![0]!.GetValue<float>(), text);
    }

    /// <summary>Posts ground-truth labels, one per request id, as a labelling pipeline would.</summary>
    public static async Task PostLabelsAsync(this HttpClient http, IEnumerable<(string RequestId, double Label)> labels)
    {
        var body = new JsonArray(labels.Select(l => (JsonNode)new JsonObject { ["request_id"] = l.RequestId, ["label"] = l.Label }).ToArray());
        (await SendAsync(http, HttpMethod.Post, "/api/v1/monitoring/labels", body.ToJsonString())).AssertOk();
    }

    private static async Task<ApiAnswer> SendAsync(HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? node = null;
        try
        {
            node = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return new ApiAnswer(response.StatusCode, node, text);
    }
}
