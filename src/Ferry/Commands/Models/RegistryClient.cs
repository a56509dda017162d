using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Cli.Commands.Models;

/// <summary>The registry's management API as the CLI calls it; a refusal becomes a <see cref="CliException"/> with the server's detail.</summary>
/// <remarks>The same calls serve the other management APIs: <paramref name="api"/> is the prefix of the paths given.</remarks>
public sealed class RegistryClient(Uri server, string? token, string api = RegistryClient.Api) : IDisposable
{
    public const string Api = "api/v1/registry/";
    private readonly HttpClient _http = Create(server, token);

    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonNode> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public Task<JsonNode> PutJsonAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);

    public Task<JsonNode> PostJsonAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Streams the file as the request body.</summary>
    public async Task<JsonNode> UploadAsync(string file, string query, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(HttpMethod.Post, "versions?" + query, content, cancellationToken);
    }

    /// <summary>The version a reference names: its own, its alias's, or none (the model itself).</summary>
    public async Task<long?> ResolveAsync(ModelRef model, CancellationToken cancellationToken)
    {
        if (model.Alias is null)
        {
            return model.Version;
        }

        var version = await GetAsync($"models/{Escape(model.Name)}/aliases/{Escape(model.Alias)}", cancellationToken);
        return (long)version["version"]!;
    }

    public static string Escape(string text) => Uri.EscapeDataString(text);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, api + path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the server at {_http.BaseAddress}: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? json = null;
            try
            {
                json = text.Length > 0 ? JsonNode.Parse(text) : null;
            }
            catch (JsonException)
            {
            }

            if (!response.IsSuccessStatusCode)
            {
                var detail = json?["detail"]?.GetValue<string>() ?? json?["error"]?.GetValue<string>() ?? text;
                throw new CliException($"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
            }

            return json ?? new JsonObject();
        }
    }

    private static HttpClient Create(Uri server, string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.ToString().TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}
