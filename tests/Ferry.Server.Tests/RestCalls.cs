using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Ferry.Server.Tests;

/// <summary>Requests as a protocol client sends them, read into a <see cref="RestAnswer"/>.</summary>
public static class RestCalls
{
    public static async Task<RestAnswer> PostJsonAsync(this HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        return await RestAnswer.ReadAsync(response);
    }

    /// <summary>Posts a binary-extension request: the JSON header, then <paramref name="binary"/>.</summary>
    /// <param name="headerLength">The Inference-Header-Content-Length to send; the header's true length when null.</param>
    public static async Task<RestAnswer> PostBinaryAsync(this HttpClient http, string path, string header, byte[] binary, string? headerLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        using var content = new ByteArrayContent([.. json, .. binary]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", headerLength ?? json.Length.ToString(CultureInfo.InvariantCulture));
        using var response = await http.PostAsync(path, content);
        return await RestAnswer.ReadAsync(response);
    }

    public static async Task<RestAnswer> GetAnswerAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return await RestAnswer.ReadAsync(response);
    }

    public static async Task<RestAnswer> PostEmptyAsync(this HttpClient http, string path)
    {
        using var response = await http.PostAsync(path, null);
        return await RestAnswer.ReadAsync(response);
    }

    /// <summary>A request to the 'add' model: a and b of shape [1, 4].</summary>
    public static string AddRequest(string a = "[1, 2, 3, 4]", string b = "[10, 20, 30, 40]") =>
        $$"""
        {"inputs": [
          {"name": "a", "shape": [1, 4], "datatype": "FP32", "data": {{a}}},
          {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": {{b}}}]}
        """;
}
