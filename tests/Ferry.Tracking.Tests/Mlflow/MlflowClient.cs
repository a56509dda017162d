using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Tracking.Tests.Mlflow;

/// <summary>Raw JSON calls as MLflow's REST docs describe them, with no type shared with the server.</summary>
public sealed class MlflowClient(HttpClient http)
{
    private const string Prefix = "/api/2.0/mlflow/";

    public async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, string json)
    {
        using var response = await http.PostAsync(Prefix + path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string pathAndQuery)
    {
        using var response = await http.GetAsync(Prefix + pathAndQuery);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async Task<JsonNode> OkAsync(string path, string json)
    {
        var (status, body) = await PostAsync(path, json);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body.ToJsonString()}");
        return body;
    }
}
