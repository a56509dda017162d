using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Ferry.Monitoring.Tests.Server;

/// <summary>Small REST calls the monitoring tests make.</summary>
public static class Requests
{
    public static async Task InferClfAsync(this HttpClient http, string id, params float[] xs)
    {
        var data = string.Join(",", xs.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
        var body = $$"""{"id": "{{id}}", "inputs": [{"name": "x", "datatype": "FP32", "shape": [{{xs.Length}}, 1], "data": [{{data}}]}]}""";
        using var response = await http.PostAsync("/v2/models/clf/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task PostLabelsAsync(this HttpClient http, object labels)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/monitoring/labels", labels);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The value of an unlabelled counter in the Prometheus text of /metrics.</summary>
    public static async Task<double> CounterAsync(this HttpClient http, string name)
    {
        var text = await http.GetStringAsync("/metrics");
        var line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
