using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Ferry.Tests;

namespace Ferry.Server.Tests.Registry;

/// <summary>Management API calls as a client makes them.</summary>
public static class RegistryCalls
{
    public static byte[] AddModel() => OnnxModelBuilder.AddFloats().Build();

    /// <summary>Uploads <paramref name="onnx"/> as the raw body; <paramref name="query"/> is added to <c>?name=</c>.</summary>
    public static async Task<RestAnswer> UploadAsync(this HttpClient http, string name, byte[] onnx, string query = "")
    {
        using var content = new ByteArrayContent(onnx);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PostAsync($"/api/v1/registry/versions?name={Uri.EscapeDataString(name)}{query}", content);
        return await RestAnswer.ReadAsync(response);
    }

    public static async Task<RestAnswer> SetAliasAsync(this HttpClient http, string name, string alias, long version, string? reason = null)
    {
        var body = $$"""{"version": {{version.ToString(CultureInfo.InvariantCulture)}}, "reason": {{(reason is null ? "null" : $"\"{reason}\"")}}}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync($"/api/v1/registry/models/{name}/aliases/{alias}", content);
        return await RestAnswer.ReadAsync(response);
    }

    /// <summary>Asserts a success status, showing the body when it is not.</summary>
    public static RestAnswer AssertOk(this RestAnswer answer)
    {
        Assert.True((int)answer.Status is >= 200 and < 300, $"{(int)answer.Status}: {answer.Text}");
        return answer;
    }

    /// <summary>Asserts a problem-details refusal with the status and a detail holding <paramref name="fragment"/>.</summary>
    public static void AssertProblem(this RestAnswer answer, System.Net.HttpStatusCode status, string fragment)
    {
        Assert.True(status == answer.Status, $"expected {(int)status}, got {(int)answer.Status}: {answer.Text}");
        var detail = answer.Json?["detail"]?.GetValue<string>();
        Assert.True(detail is not null, $"not a problem-details body: {answer.Text}");
        Assert.Contains(fragment, detail, StringComparison.Ordinal);
    }
}
