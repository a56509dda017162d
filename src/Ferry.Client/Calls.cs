using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ferry.Client;

/// <summary>JSON in, JSON out, and the server's error shapes (MLflow's and problem details) turned into one exception.</summary>
internal static class Calls
{
    public static async Task<JsonNode> PostAsync(HttpClient http, string path, JsonNode body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<JsonNode> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var body = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        var code = (string?)body["error_code"] ?? (string?)body["title"] ?? response.StatusCode.ToString();
        var message = (string?)body["message"] ?? (string?)body["detail"] ?? (string?)body["error"] ?? text;
        throw new FerryClientException(response.StatusCode, code, message);
    }
}
