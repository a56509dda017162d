using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>Binary tensor extension requests whose lengths or bytes lie: 400 naming the model and the input.</summary>
[Collection(ServingCollection.Name)]
public sealed class BinaryExtensionErrorTests
{
    private const string AddHeader = """
        {"inputs": [{"name": "a", "shape": [1, 4], "datatype": "FP32", "parameters": {"binary_data_size": SIZE}},
                    {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 1, 1, 1]}]}
        """;

    private readonly HttpClient _http;

    public BinaryExtensionErrorTests(ServingFixture server)
    {
        _http = server.Http;
    }

    [Fact]
    public async Task Infer_WithBinaryDataSizeLargerThanRemainingBody_Returns400NamingInput()
    {
        var answer = await _http.PostBinaryAsync("/v2/models/add/infer", AddHeader.Replace("SIZE", "32", StringComparison.Ordinal), new byte[16]);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a'", "binary_data_size is 32, but only 16 bytes of binary data remain");
    }

    [Fact]
    public async Task Infer_WithBinaryDataSizeNotMatchingShape_Returns400NamingInput()
    {
        var answer = await _http.PostBinaryAsync("/v2/models/add/infer", AddHeader.Replace("SIZE", "12", StringComparison.Ordinal), new byte[12]);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a'", "12 bytes of binary data, but FP32 [1,4] needs 16");
    }

    [Fact]
    public async Task Infer_WithHeaderLengthLargerThanBody_Returns400GivingBothLengths()
    {
        var answer = await _http.PostBinaryAsync("/v2/models/add/infer", AddHeader.Replace("SIZE", "16", StringComparison.Ordinal), new byte[16], headerLength: "100000");
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "Inference-Header-Content-Length is 100000, but the body has");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("99999999999999999999")]
    public async Task Infer_WithHeaderLengthNotANumber_Returns400QuotingIt(string headerLength)
    {
        var answer = await _http.PostBinaryAsync("/v2/models/add/infer", AddHeader.Replace("SIZE", "16", StringComparison.Ordinal), new byte[16], headerLength);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "Inference-Header-Content-Length must be a whole number", headerLength);
    }

    [Fact]
    public async Task Infer_WithLeftoverBinaryBytes_Returns400CountingThem()
    {
        var answer = await _http.PostBinaryAsync("/v2/models/add/infer", AddHeader.Replace("SIZE", "16", StringComparison.Ordinal), new byte[20]);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "4 bytes of binary data follow the header that no input claims");
    }

    [Fact]
    public async Task Infer_WithBoolByteNotZeroOrOne_Returns400NamingInputAndElement()
    {
        var answer = await _http.PostBinaryAsync("/v2/models/id_bool/infer",
            """{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "BOOL", "parameters": {"binary_data_size": 3}}]}""", [1, 2, 0]);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'id_bool'", "input 'x'", "BOOL element 1 is 2, not 0 or 1");
    }

    [Fact]
    public async Task Infer_WithBytesElementLengthPastEnd_Returns400NamingInput()
    {
        var answer = await _http.PostBinaryAsync("/v2/models/id_bytes/infer",
            """{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "BYTES", "parameters": {"binary_data_size": 8}}]}""", [200, 0, 0, 0, 1, 2, 3, 4]);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'id_bytes'", "input 'x'", "BYTES element 0 claims 200 bytes");
    }
}
