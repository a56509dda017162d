using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests.Rest;

[Collection(ServingCollection.Name)]
public sealed class InferTests
{
    private readonly ServingFixture _server;

    public InferTests(ServingFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Infer_Fp32_AddsAndEchoesIdAndVersion()
    {
        var response = await PostJsonAsync("/v2/models/add/infer", """
            {"id": "req-1", "inputs": [
              {"name": "a", "shape": [2, 4], "datatype": "FP32", "data": [1, 2, 3, 4, 5, 6, 7, 8]},
              {"name": "b", "shape": [2, 4], "datatype": "FP32", "data": [[0.5, 0.5, 0.5, 0.5], [1, 1, 1, 1]]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var body = response.Json!;
        Assert.Equal("add", (string?)body["model_name"]);
        Assert.Equal("1", (string?)body["model_version"]);
        Assert.Equal("req-1", (string?)body["id"]);
        var sum = body["outputs"]!.AsArray().Single(o => (string?)o!["name"] == "sum")!;
        Assert.Equal("FP32", (string?)sum["datatype"]);
        Assert.Equal([2L, 4L], sum["shape"]!.AsArray().Select(x => (long)x!));
        Assert.Equal([1.5f, 2.5f, 3.5f, 4.5f, 6, 7, 8, 9], sum["data"]!.AsArray().Select(x => (float)x!));
    }

    [Fact]
    public async Task Infer_WithRequestedOutput_ReturnsOnlyThatOutput()
    {
        var response = await PostJsonAsync("/v2/models/add/infer", """
            {"inputs": [
              {"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
              {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [2, 2, 2, 2]}],
             "outputs": [{"name": "product"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var outputs = response.Json!["outputs"]!.AsArray();
        var product = Assert.Single(outputs)!;
        Assert.Equal("product", (string?)product["name"]);
        Assert.Equal([2f, 4, 6, 8], product["data"]!.AsArray().Select(x => (float)x!));
    }

    [Fact]
    public async Task Infer_DataBeforeShapeAndDatatype_IsAccepted()
    {
        var response = await PostJsonAsync("/v2/models/id_int32/infer", """
            {"inputs": [{"data": [1, -2, 3], "name": "x", "datatype": "INT32", "shape": [1, 3]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal([1, -2, 3], response.Json!["outputs"]![0]!["data"]!.AsArray().Select(x => (int)x!));
    }

    [Fact]
    public async Task Infer_SpecificVersion_AnswersFromThatVersion()
    {
        const string body = """
            {"inputs": [
              {"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [5, 5, 5, 5]},
              {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}],
             "outputs": [{"name": "sum"}]}
            """;
        var v1 = await PostJsonAsync("/v2/models/multi/versions/1/infer", body);
        var v2 = await PostJsonAsync("/v2/models/multi/versions/2/infer", body);
        var latest = await PostJsonAsync("/v2/models/multi/infer", body);
        Assert.Equal([6f, 7, 8, 9], v1.Json!["outputs"]![0]!["data"]!.AsArray().Select(x => (float)x!));
        Assert.Equal("1", (string?)v1.Json!["model_version"]);
        Assert.Equal([4f, 3, 2, 1], v2.Json!["outputs"]![0]!["data"]!.AsArray().Select(x => (float)x!));
        Assert.Equal("2", (string?)latest.Json!["model_version"]);
    }

    public static TheoryData<string, string, string> RoundTrips => new()
    {
        { "BOOL", "[true, false, true]", "[true,false,true]" },
        { "UINT8", "[0, 128, 255]", "[0,128,255]" },
        { "UINT16", "[0, 1000, 65535]", "[0,1000,65535]" },
        { "UINT32", "[0, 70000, 4294967295]", "[0,70000,4294967295]" },
        { "UINT64", "[0, 1, 18446744073709551615]", "[0,1,18446744073709551615]" },
        { "INT8", "[-128, 0, 127]", "[-128,0,127]" },
        { "INT16", "[-32768, 0, 32767]", "[-32768,0,32767]" },
        { "INT32", "[-2147483648, 0, 2147483647]", "[-2147483648,0,2147483647]" },
        { "INT64", "[-9223372036854775808, 0, 9223372036854775807]", "[-9223372036854775808,0,9223372036854775807]" },
        { "FP16", "[0.5, -2, 1024]", "[0.5,-2,1024]" },
        { "FP32", "[0.1, -3.5, 1e30]", "[0.1,-3.5,1E+30]" },
        { "FP64", "[0.1, -3.5, 1e300]", "[0.1,-3.5,1E+300]" },
        { "BYTES", "[\"a\", \"\", \"h\u00e9llo \\\"x\\\"\"]", "[\"a\",\"\",\"h\\u00E9llo \\u0022x\\u0022\"]" },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public async Task Infer_EveryDatatype_RoundTripsThroughJson(string datatype, string data, string expected)
    {
        Assert.True(DataTypes.TryParse(datatype, out var type));
        var response = await PostJsonAsync($"/v2/models/{ServingFixture.IdentityName(type)}/infer",
            $$"""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "{{datatype}}", "data": {{data}}}]}""");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var output = response.Json!["outputs"]![0]!;
        Assert.Equal(datatype, (string?)output["datatype"]);
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), output["data"]!.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(AllTypeNames))]
    public async Task Infer_EveryDatatype_RoundTripsThroughBinaryExtension(string datatype)
    {
        Assert.True(DataTypes.TryParse(datatype, out var type));
        var raw = SampleRaw(type);
        var header = Encoding.UTF8.GetBytes(
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"" + datatype + "\", \"parameters\": {\"binary_data_size\": " + raw.Length + "}}],"
            + " \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": true}}]}");
        using var content = new ByteArrayContent([.. header, .. raw]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _server.Http.PostAsync($"/v2/models/{ServingFixture.IdentityName(type)}/infer", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(bytes));
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var json = JsonNode.Parse(bytes.AsSpan(0, jsonLength))!;
        var output = json["outputs"]![0]!;
        Assert.Null(output["data"]);
        Assert.Equal(raw.Length, (int)output["parameters"]!["binary_data_size"]!);
        Assert.Equal(raw, bytes[jsonLength..]);
    }

    [Fact]
    public async Task Infer_BinaryDataOutputParameter_MakesEveryOutputBinary()
    {
        var a = new float[] { 1, 2, 3, 4 };
        var raw = new byte[16];
        Buffer.BlockCopy(a, 0, raw, 0, 16);
        var header = Encoding.UTF8.GetBytes("""
            {"parameters": {"binary_data_output": true},
             "inputs": [{"name": "a", "shape": [1, 4], "datatype": "FP32", "parameters": {"binary_data_size": 16}},
                        {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 1, 1, 1]}],
             "outputs": [{"name": "sum"}, {"name": "product", "parameters": {"binary_data": false}}]}
            """);
        using var content = new ByteArrayContent([.. header, .. raw]);
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _server.Http.PostAsync("/v2/models/add/infer", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var json = JsonNode.Parse(bytes.AsSpan(0, jsonLength))!;
        Assert.Equal(16, (int)json["outputs"]![0]!["parameters"]!["binary_data_size"]!);
        Assert.Equal([1f, 2, 3, 4], json["outputs"]![1]!["data"]!.AsArray().Select(x => (float)x!));
        var sum = new float[4];
        Buffer.BlockCopy(bytes, jsonLength, sum, 0, 16);
        Assert.Equal([2f, 3, 4, 5], sum);
    }

    public static TheoryData<string> AllTypeNames => new(DataTypes.All);

    internal static byte[] SampleRaw(DataType type)
    {
        if (type == DataType.Bytes)
        {
            var parts = new[] { "one"u8.ToArray(), Array.Empty<byte>(), new byte[] { 0xff, 0x00, 0x7f } };
            return parts.SelectMany(p => BitConverter.GetBytes(p.Length).Concat(p)).ToArray();
        }

        var raw = new byte[3 * type.ElementSize()];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = (byte)(i * 37 + 11);
        }

        if (type == DataType.Bool)
        {
            raw = [1, 0, 1];
        }

        if (type == DataType.Fp16)
        {
            raw = [.. BitConverter.GetBytes((Half)1.5), .. BitConverter.GetBytes((Half)(-2)), .. BitConverter.GetBytes((Half)0.25)];
        }

        return raw;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Json, string Text)> PostJsonAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _server.Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? node = null;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
        }

        return (response.StatusCode, node, text);
    }
}
