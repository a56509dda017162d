using System.Net;
using System.Text;

namespace Ferry.Server.Tests.Registry;

/// <summary>
/// With auth on, every management API needs a token — reads a reader token, changes a writer token — not only the
/// registry and deployments: the model repository (load and unload change what is served), monitoring (labels,
/// alert evaluations, the prediction log), batch jobs, datasets, lineage and MLflow tracking. Each refuses in its
/// own error shape. Inference (without <c>ProtectInference</c>), health and <c>/metrics</c> stay open.
/// </summary>
public sealed class ManagementAuthTests : IAsyncLifetime
{
    private readonly RegistryServerFixture _server = new();

    public Task InitializeAsync() => ((IAsyncLifetime)_server).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_server).DisposeAsync();

    public enum Shape
    {
        Problem,
        Oip,
        Mlflow,
    }

    [Theory]
    [InlineData("GET", "/api/v1/monitoring/predictions?model=m", null, Shape.Problem)]
    [InlineData("GET", "/api/v1/monitoring/alerts", null, Shape.Problem)]
    [InlineData("GET", "/api/v1/batch/jobs/nope", null, Shape.Problem)]
    [InlineData("GET", "/api/v1/lineage/model-versions/m/1", null, Shape.Problem)]
    [InlineData("POST", "/v2/repository/index", "{}", Shape.Oip)]
    [InlineData("GET", "/api/2.0/mlflow/experiments/search?max_results=5", null, Shape.Mlflow)]
    [InlineData("POST", "/api/2.0/mlflow/runs/search", """{"experiment_ids": ["0"]}""", Shape.Mlflow)]
    [InlineData("GET", "/api/2.0/mlflow-artifacts/artifacts/some/file", null, Shape.Mlflow)]
    public async Task Reads_NeedAReaderToken(string method, string path, string? body, Shape shape)
    {
        await AssertRefusedAsync(null, method, path, body, HttpStatusCode.Unauthorized, shape);
        await AssertPassesAsync(_server.ReaderToken, method, path, body);
    }

    [Theory]
    [InlineData("POST", "/api/v1/monitoring/labels", """{"request_id": "r1", "label": 1}""", Shape.Problem)]
    [InlineData("POST", "/api/v1/monitoring/alerts/evaluate", null, Shape.Problem)]
    [InlineData("POST", "/api/v1/batch/jobs", """{"model": "m", "input": "in.csv", "output": "out.parquet"}""", Shape.Problem)]
    [InlineData("POST", "/api/v1/datasets", """{"name": "d", "path": "d.csv"}""", Shape.Problem)]
    [InlineData("POST", "/v2/repository/models/example/unload", null, Shape.Oip)]
    [InlineData("POST", "/v2/repository/models/example/load", null, Shape.Oip)]
    [InlineData("POST", "/api/2.0/mlflow/experiments/create", """{"name": "auth-test"}""", Shape.Mlflow)]
    [InlineData("POST", "/api/2.0/mlflow/runs/create", """{"experiment_id": "0"}""", Shape.Mlflow)]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/some/file", "x", Shape.Mlflow)]
    public async Task Changes_NeedAWriterToken(string method, string path, string? body, Shape shape)
    {
        await AssertRefusedAsync(null, method, path, body, HttpStatusCode.Unauthorized, shape);
        await AssertRefusedAsync(_server.ReaderToken, method, path, body, HttpStatusCode.Forbidden, shape);
        await AssertPassesAsync(_server.WriterToken, method, path, body);
    }

    [Theory]
    [InlineData("GET", "/v2/health/ready")]
    [InlineData("GET", "/metrics")]
    [InlineData("POST", "/v2/models/nothing/infer")]
    public async Task InferenceHealthAndMetrics_StayOpen(string method, string path)
    {
        using var anonymous = _server.Client(null);
        using var answer = await anonymous.SendAsync(Request(method, path, method == "POST" ? """{"inputs": []}""" : null));
        Assert.NotEqual(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, answer.StatusCode);
    }

    private async Task AssertRefusedAsync(string? token, string method, string path, string? body, HttpStatusCode status, Shape shape)
    {
        using var client = _server.Client(token);
        using var answer = await client.SendAsync(Request(method, path, body));
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == status, $"{method} {path} with {(token is null ? "no token" : "a reader token")}: {(int)answer.StatusCode} {text}");
        switch (shape)
        {
            case Shape.Oip:
                Assert.StartsWith("{\"error\":", text, StringComparison.Ordinal);
                break;
            case Shape.Mlflow:
                Assert.Contains(status == HttpStatusCode.Unauthorized ? "\"UNAUTHENTICATED\"" : "\"PERMISSION_DENIED\"", text, StringComparison.Ordinal);
                break;
            default:
                Assert.Contains("\"detail\"", text, StringComparison.Ordinal);
                break;
        }
    }

    private async Task AssertPassesAsync(string token, string method, string path, string? body)
    {
        using var client = _server.Client(token);
        using var answer = await client.SendAsync(Request(method, path, body));
        Assert.True(answer.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
            $"{method} {path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    private static HttpRequestMessage Request(string method, string path, string? body) => new(new HttpMethod(method), path)
    {
        Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
    };
}
