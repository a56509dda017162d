using System.Text.Json.Nodes;

namespace Ferry.Client;

/// <summary>Online inference over the Open Inference Protocol's REST API (JSON tensors).</summary>
public sealed class InferenceClient(HttpClient http)
{
    /// <summary>Sends FP32 inputs (name, shape, row-major data) and returns each output's data as doubles.</summary>
    public async Task<IReadOnlyDictionary<string, double[]>> InferAsync(
        string model, IReadOnlyList<(string Name, long[] Shape, float[] Data)> inputs, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)new JsonObject
            {
                ["name"] = i.Name,
                ["datatype"] = "FP32",
                ["shape"] = new JsonArray(i.Shape.Select(s => (JsonNode)s).ToArray()),
                ["data"] = new JsonArray(i.Data.Select(v => (JsonNode)v).ToArray()),
            }).ToArray()),
        };
        var answer = await Calls.PostAsync(http, $"v2/models/{Uri.EscapeDataString(model)}/infer", body, cancellationToken).ConfigureAwait(false);
        return answer["outputs"]!.AsArray().ToDictionary(
            o => (string)o!["name"]!,
            o => o!["data"]!.AsArray().Select(v => v!.GetValueKind() == System.Text.Json.JsonValueKind.Number ? (double)v! : double.NaN).ToArray());
    }
}
