using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Server.Oip;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Tests.Rest;

/// <summary>
/// Binary inputs are not copied out of the request body: the body lands with its binary data 8-byte aligned, aligned
/// tensors view it, and large inputs are bound to ONNX Runtime where they lie. Each request must still answer its own
/// values, whatever the header's length does to the alignment, and the body must go back when the request is done.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class InPlaceBinaryTests
{
    private readonly ServingFixture _server;

    public InPlaceBinaryTests(ServingFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Infer_LargeBinaryInputs_EachRequestAnswersItsOwnValues()
    {
        // 1,100 x 4 floats = 17,600 bytes a tensor: both inputs above the in-place size, so after the first (unbound) run,
        // which binds the shape, every run rebinds both inputs over its own body; the outputs go to the bound buffers.
        const int rows = 1100;
        var random = new Random(20261207);
        for (var i = 0; i < 12; i++)
        {
            var a = Enumerable.Range(0, rows * 4).Select(_ => (float)Math.Round((random.NextDouble() * 100) - 50, 3)).ToArray();
            var b = Enumerable.Range(0, rows * 4).Select(_ => (float)Math.Round((random.NextDouble() * 100) - 50, 3)).ToArray();
            // An id of i characters moves the header's length through every remainder of 8.
            var header = Encoding.UTF8.GetBytes(
                $$$"""{"id": "{{{new string('r', i)}}}", "inputs": [{"name": "a", "shape": [{{{rows}}}, 4], "datatype": "FP32", "parameters": {"binary_data_size": {{{a.Length * 4}}}}},"""
                + $$$""" {"name": "b", "shape": [{{{rows}}}, 4], "datatype": "FP32", "parameters": {"binary_data_size": {{{b.Length * 4}}}}}],"""
                + """ "outputs": [{"name": "sum", "parameters": {"binary_data": true}}, {"name": "product", "parameters": {"binary_data": true}}]}""");
            using var content = new ByteArrayContent([.. header, .. MemoryMarshal.AsBytes(a.AsSpan()), .. MemoryMarshal.AsBytes(b.AsSpan())]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(CultureInfo.InvariantCulture));
            using var response = await _server.Http.PostAsync("/v2/models/add_wide/infer", content);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));

            var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
            var outputs = JsonNode.Parse(bytes.AsSpan(0, jsonLength))!["outputs"]!.AsArray();
            Assert.Equal(["sum", "product"], outputs.Select(o => (string?)o!["name"]));
            var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(jsonLength)).ToArray();
            Assert.Equal(a.Zip(b, (x, y) => x + y), data[..(rows * 4)]);
            Assert.Equal(a.Zip(b, (x, y) => x * y), data[(rows * 4)..]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Read_AlignedBinaryInput_ViewsTheBodyAndTheRequestGivesTheBodyBack(int idLength)
    {
        float[] values = [1.5f, -2, 3.25f, 4];
        var header = Encoding.UTF8.GetBytes(
            $$$"""{"id": "{{{new string('x', idLength)}}}", "inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "parameters": {"binary_data_size": 16}}]}""");
        var body = await ReadBodyAsync([.. header, .. MemoryMarshal.AsBytes(values.AsSpan())], header.Length);

        var request = InferRequestReader.Read(body, header.Length);
        var input = Assert.Single(request.Inputs);
        Assert.True(MemoryMarshal.TryGetArray<byte>(input.Memory, out var segment));
        Assert.Same(body.Array, segment.Array);
        Assert.Equal(0, segment.Offset % 8);
        Assert.Equal(values, MemoryMarshal.Cast<byte, float>(input.Bytes).ToArray());

        request.Dispose();
        Assert.Empty(body.Array);
    }

    [Fact]
    public async Task Read_InputAfterAnOddSizedOne_IsCopiedAndKeepsItsValues()
    {
        // Three UINT8 bytes put the FP32 input that follows off its alignment: it is copied instead of viewed.
        byte[] small = [7, 8, 9];
        float[] values = [0.5f, 1e-3f];
        var header = Encoding.UTF8.GetBytes(
            """{"inputs": [{"name": "u", "shape": [3], "datatype": "UINT8", "parameters": {"binary_data_size": 3}},"""
            + """ {"name": "f", "shape": [2], "datatype": "FP32", "parameters": {"binary_data_size": 8}}]}""");
        var body = await ReadBodyAsync([.. header, .. small, .. MemoryMarshal.AsBytes(values.AsSpan())], header.Length);

        using var request = InferRequestReader.Read(body, header.Length);
        Assert.Equal(small, request.Inputs[0].Bytes.ToArray());
        Assert.True(MemoryMarshal.TryGetArray<byte>(request.Inputs[1].Memory, out var segment));
        Assert.NotSame(body.Array, segment.Array);
        Assert.Equal(values, MemoryMarshal.Cast<byte, float>(request.Inputs[1].Bytes).ToArray());
    }

    [Fact]
    public async Task Read_BadBinaryInput_LeavesTheBodyToItsReader()
    {
        var header = Encoding.UTF8.GetBytes(
            """{"inputs": [{"name": "f", "shape": [2], "datatype": "FP32", "parameters": {"binary_data_size": 4}}]}""");
        var body = await ReadBodyAsync([.. header, 1, 2, 3, 4], header.Length);

        var error = Assert.Throws<FerryException>(() => InferRequestReader.Read(body, header.Length));
        Assert.Contains("input 'f': 4 bytes of binary data", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(body.Array);
        body.Dispose();
    }

    private static async Task<RequestBody> ReadBodyAsync(byte[] bytes, int headerLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        var body = await RequestBody.ReadAsync(context.Request, 1 << 20, CancellationToken.None, headerLength);
        Assert.Equal(bytes, body.Span.ToArray());
        return body;
    }
}
