using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Server.Rest;

namespace Ferry.Server.Tests.RealModels;

/// <summary>
/// A client of the binary tensor extension over REST: FP32 inputs go as raw bytes after the JSON header, and every
/// output comes back raw (<c>binary_data_output</c>), as Triton's clients send large tensors.
/// </summary>
public static class BinaryInfer
{
    public static async Task<Dictionary<string, RawTensor>> PostAsync(HttpClient http, string model, IReadOnlyDictionary<string, (long[] Shape, float[] Data)> inputs)
    {
        var header = new JsonObject
        {
            ["parameters"] = new JsonObject { ["binary_data_output"] = true },
            ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)new JsonObject
            {
                ["name"] = i.Key,
                ["shape"] = new JsonArray(i.Value.Shape.Select(d => (JsonNode)d).ToArray()),
                ["datatype"] = "FP32",
                ["parameters"] = new JsonObject { ["binary_data_size"] = i.Value.Data.Length * sizeof(float) },
            }).ToArray()),
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var body = new List<byte>(headerBytes);
        foreach (var input in inputs.Values)
        {
            body.AddRange(MemoryMarshal.AsBytes(input.Data.AsSpan()).ToArray());
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add(OipRestEndpoints.InferenceHeaderContentLength, headerBytes.Length.ToString(CultureInfo.InvariantCulture));
        using var response = await http.PostAsync($"/v2/models/{model}/infer", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        return ReadOutputs(response, bytes);
    }

    private static Dictionary<string, RawTensor> ReadOutputs(HttpResponseMessage response, byte[] bytes)
    {
        var jsonLength = int.Parse(response.Headers.GetValues(OipRestEndpoints.InferenceHeaderContentLength).Single(), CultureInfo.InvariantCulture);
        var json = JsonNode.Parse(bytes.AsSpan(0, jsonLength))!;
        var outputs = new Dictionary<string, RawTensor>();
        var offset = jsonLength;
        foreach (var output in json["outputs"]!.AsArray())
        {
            var size = (int)output!["parameters"]!["binary_data_size"]!;
            var shape = output["shape"]!.AsArray().Select(d => (long)d!).ToArray();
            Assert.Equal("FP32", (string?)output["datatype"]);
            outputs[(string)output["name"]!] = new RawTensor(shape, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, bytes[offset..(offset + size)]);
            offset += size;
        }

        Assert.Equal(bytes.Length, offset);
        return outputs;
    }
}
