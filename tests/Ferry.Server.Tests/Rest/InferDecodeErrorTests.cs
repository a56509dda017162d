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
