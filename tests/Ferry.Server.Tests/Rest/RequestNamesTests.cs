using System.Text;
using Ferry.Server.Oip;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Tests.Rest;

/// <summary>
/// Tensor names and datatypes are decoded without a new string when they were seen before (a small table of recent
/// names): every request must still get exactly the names it sent, however many names share a slot of the table.
/// </summary>
public sealed class RequestNamesTests
{
    [Fact]
    public async Task Read_ThousandsOfDistinctNames_EachRequestGetsItsOwn()
    {
        var random = new Random(20261207);
        var names = Enumerable.Range(0, 3000).Select(i => $"in_{i}_{random.Next():x}").ToArray();
        // Twice over, in another order the second time: names come back from the table, or after another name took
        // their slot.
        foreach (var name in names.Concat(names.OrderBy(_ => random.Next())))
        {
            using var request = await ReadAsync($$"""{"inputs": [{"name": "{{name}}", "shape": [1], "datatype": "FP32", "data": [1]}], "outputs": [{"name": "out_{{name}}"}]}""");
            Assert.Equal(name, request.Inputs[0].Name);
            Assert.Equal(DataType.Fp32, request.Inputs[0].DataType);
            Assert.Equal($"out_{name}", request.Outputs[0].Name);
        }
    }

    [Fact]
    public async Task Read_EscapedAndPlainSpellingsOfOneName_GiveTheSameName_AndDatatypesKeepTheirSpellings()
    {
        using var plain = await ReadAsync("""{"inputs": [{"name": "ab", "shape": [1], "datatype": "INT64", "data": [1]}]}""");
        using var escaped = await ReadAsync("""{"inputs": [{"name": "a\u0062", "shape": [1], "datatype": "\u0049NT64", "data": [1]}]}""");
        using var lower = await ReadAsync("""{"inputs": [{"name": "ab", "shape": [1], "datatype": "int64", "data": [1]}]}""");

        Assert.All(new[] { plain, escaped, lower }, r => Assert.Equal(("ab", DataType.Int64), (r.Inputs[0].Name, r.Inputs[0].DataType)));
    }

    [Fact]
    public async Task Read_NameNotValidUtf8_IsRefusedEachTime()
    {
        for (var i = 0; i < 2; i++)
        {
            var json = Encoding.UTF8.GetBytes("""{"inputs": [{"name": "x?", "shape": [1], "datatype": "FP32", "data": [1]}]}""");
            json[Array.IndexOf(json, (byte)'?')] = 0xff;
            var error = await Assert.ThrowsAsync<FerryException>(() => ReadAsync(json));
            Assert.Contains("name is not valid text", error.Message, StringComparison.Ordinal);
        }
    }

    private static Task<InferRequest> ReadAsync(string json) => ReadAsync(Encoding.UTF8.GetBytes(json));

    private static async Task<InferRequest> ReadAsync(byte[] bytes)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        var body = await RequestBody.ReadAsync(context.Request, 1 << 20, CancellationToken.None);
        try
        {
            return InferRequestReader.Read(body, null);
        }
        finally
        {
            body.Dispose();
        }
    }
}
