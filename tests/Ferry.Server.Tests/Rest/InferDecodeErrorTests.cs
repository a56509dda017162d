using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>JSON request bodies that cannot be decoded: 400 naming the model and what was wrong.</summary>
[Collection(ServingCollection.Name)]
public sealed class InferDecodeErrorTests
{
    private readonly HttpClient _http;

    public InferDecodeErrorTests(ServingFixture server)
    {
        _http = server.Http;
    }

    [Theory]
    [InlineData("""{"inputs": [""")]
    [InlineData("""{"inputs": [{"name": "a",}]}""")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Infer_WithMalformedJson_Returns400NamingModel(string body)
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", body);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "malformed JSON");
    }

    [Fact]
    public async Task Infer_WithArrayWhereRequestObjectGoes_Returns400SayingWhatWasExpected()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", """[{"inputs": []}]""");
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "the request must be an object, not a list");
    }

    [Theory]
    [InlineData("""{"id": "\ud800", "inputs": [{"name": "x", "shape": [1, 3], "datatype": "INT32", "data": [1, 2, 3]}]}""", "'id' is not valid text")]
    [InlineData("""{"inputs": [{"name": "x\udc00", "shape": [1, 3], "datatype": "INT32", "data": [1, 2, 3]}]}""", "inputs[0].name is not valid text")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "INT32\ud800", "data": [1, 2, 3]}]}""", "input 'x'.datatype is not valid text")]
    public async Task Infer_WithUnpairedSurrogateEscape_Returns400Not500(string body, string expected)
    {
        var answer = await _http.PostJsonAsync("/v2/models/id_int32/infer", body);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'id_int32'", expected);
    }

    [Fact]
    public async Task Infer_WithUnpairedSurrogateInBytesElement_Returns400NamingElement()
    {
        var answer = await _http.PostJsonAsync("/v2/models/id_bytes/infer",
            """{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "BYTES", "data": ["a", "\ud800", "c"]}]}""");
        answer.AssertError(HttpStatusCode.BadRequest, "model 'id_bytes'", "input 'x': element 1 is not valid text");
    }

    [Fact]
    public async Task Infer_WithInvalidUtf8InName_Returns400Not500()
    {
        // A raw 0xFF byte inside the name string: not UTF-8.
        byte[] body = [.. "{\"inputs\": [{\"name\": \"x"u8, 0xff, .. "\", \"shape\": [1, 3], \"datatype\": \"INT32\", \"data\": [1, 2, 3]}]}"u8];
        using var content = new ByteArrayContent(body);
        using var response = await _http.PostAsync("/v2/models/id_int32/infer", content);
        var answer = await RestAnswer.ReadAsync(response);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'id_int32'", "inputs[0].name is not valid text");
    }

    [Theory]
    [InlineData(" trailing")]
    [InlineData("{}")]
    [InlineData("]")]
    public async Task Infer_WithContentAfterRequestObject_Returns400(string trailer)
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", RestCalls.AddRequest() + trailer);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "malformed JSON");
    }

    [Fact]
    public async Task Infer_WithTrailingWhitespace_IsAccepted()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", RestCalls.AddRequest() + " \r\n\t ");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task Infer_WithShapeNotMatchingDataCount_Returns400NamingInputAndCounts()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", """
            {"inputs": [
              {"name": "a", "shape": [2, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
              {"name": "b", "shape": [2, 4], "datatype": "FP32", "data": [1, 2, 3, 4, 5, 6, 7, 8]}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a'", "shape [2,4] holds 8 elements, 'data' has 4");
    }

    [Fact]
    public async Task Infer_WithMoreDataThanShape_Returns400NamingInput()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", RestCalls.AddRequest(a: "[1, 2, 3, 4, 5]"));
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a'", "more elements than its shape holds (4)");
    }

    [Fact]
    public async Task Infer_WithUnknownDatatypeString_Returns400ListingKnownDatatypes()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", """
            {"inputs": [
              {"name": "a", "shape": [1, 4], "datatype": "FLOAT32", "data": [1, 2, 3, 4]},
              {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a'", "unknown datatype 'FLOAT32'", "FP32");
    }

    [Theory]
    [InlineData("[1, 2, \"3\", 4]", "element 2 is a string")]
    [InlineData("[1, 2, NaN, 4]", "malformed JSON")]
    [InlineData("[1, 2, 1e39, 4]", "element 2 (1e39) is not a valid FP32")]
    public async Task Infer_WithBadFloatElement_Returns400NamingInputAndElement(string data, string expected)
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", RestCalls.AddRequest(a: data));
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", expected);
    }

    [Theory]
    [InlineData("id_int8", "INT8", "[1, 128, 3]", "element 1 (128) is not a valid INT8")]
    [InlineData("id_uint8", "UINT8", "[1, -1, 3]", "element 1 (-1) is not a valid UINT8")]
    [InlineData("id_bool", "BOOL", "[true, 1, false]", "element 1 is a number, the datatype BOOL takes true or false")]
    public async Task Infer_WithElementOutOfRangeForDatatype_Returns400NamingElement(string model, string datatype, string data, string expected)
    {
        var answer = await _http.PostJsonAsync($"/v2/models/{model}/infer",
            $$"""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "{{datatype}}", "data": {{data}}}]}""");
        answer.AssertError(HttpStatusCode.BadRequest, $"model '{model}'", "input 'x'", expected);
    }
}
