using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests.Mlflow;

/// <summary>Raw calls as MLflow's REST docs describe them (methods, paths, JSON fields), sharing no type with the server.</summary>
public sealed class MlflowRest(HttpClient http)
{
    private const string Prefix = "/api/2.0/mlflow/";

    public Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, Prefix + path, body);

    public Task<(HttpStatusCode Status, JsonNode Body)> PatchAsync(string path, JsonNode body) => SendAsync(HttpMethod.Patch, Prefix + path, body);

    public Task<(HttpStatusCode Status, JsonNode Body)> DeleteAsync(string path, JsonNode body) => SendAsync(HttpMethod.Delete, Prefix + path, body);

    public Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string path, params (string Key, string Value)[] query) =>
        SendAsync(HttpMethod.Get, Prefix + path + "?" + string.Join('&', query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}")), null);

    public async Task<JsonNode> OkAsync(Task<(HttpStatusCode Status, JsonNode Body)> call)
    {
        var (status, body) = await call;
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body.ToJsonString()}");
        return body;
    }

    /// <summary>Asserts MLflow's error shape: the status, the error_code, and a message naming <paramref name="fragment"/>.</summary>
    public static void AssertError((HttpStatusCode Status, JsonNode Body) answer, HttpStatusCode status, string errorCode, string fragment)
    {
        Assert.True(answer.Status == status, $"expected {(int)status}, got {(int)answer.Status} {answer.Body.ToJsonString()}");
        Assert.Equal(errorCode, (string?)answer.Body["error_code"]);
        Assert.Contains(fragment, (string?)answer.Body["message"] ?? "", StringComparison.Ordinal);
    }

    /// <summary>PUT to MLflow's artifact proxy, the call MLflow clients make for a <c>mlflow-artifacts:/</c> artifact URI.</summary>
    public async Task<HttpStatusCode> UploadArtifactAsync(string artifactUri, string path, byte[] content)
    {
        const string scheme = "mlflow-artifacts:/";
        Assert.StartsWith(scheme, artifactUri, StringComparison.Ordinal);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{artifactUri[scheme.Length..].TrimStart('/')}/{path}", body);
        return response.StatusCode;
    }

    private async Task<(HttpStatusCode, JsonNode)> SendAsync(HttpMethod method, string uri, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text)!);
    }
}
