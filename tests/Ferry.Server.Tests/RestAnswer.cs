using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests;

/// <summary>A REST answer read whole: status, text, and the JSON it holds when it is JSON.</summary>
public sealed record RestAnswer(HttpStatusCode Status, string Text, JsonNode? Json)
{
    public static async Task<RestAnswer> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
        }

        return new RestAnswer(response.StatusCode, text, json);
    }

    /// <summary>Asserts the status and that the protocol's <c>{"error": "..."}</c> message holds every fragment.</summary>
    public string AssertError(HttpStatusCode status, params string[] fragments)
    {
        Assert.True(status == Status, $"expected {(int)status}, got {(int)Status}: {Text}");
        var error = Json?["error"]?.GetValue<string>();
        Assert.True(error is not null, $"not an {{\"error\": ...}} body: {Text}");
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error, StringComparison.Ordinal);
        }

        return error;
    }
}
