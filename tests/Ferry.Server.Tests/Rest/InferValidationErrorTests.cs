using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>Requests that decode but do not fit the model's signature: 400 naming the model and the input.</summary>
[Collection(ServingCollection.Name)]
public sealed class InferValidationErrorTests
{
    private readonly HttpClient _http;

    public InferValidationErrorTests(ServingFixture server)
    {
        _http = server.Http;
    }

    [Fact]
    public async Task Infer_WithUnknownInputName_Returns400NamingInputAndExpectedOnes()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", """
            {"inputs": [
              {"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
              {"name": "c", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "unknown input 'c'", "'a' (FP32 [-1,4])", "'b' (FP32 [-1,4])");
    }

    [Fact]
    public async Task Infer_WithWrongDatatype_Returns400NamingInputAndExpectedDatatype()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", """
            {"inputs": [
              {"name": "a", "shape": [1, 4], "datatype": "INT32", "data": [1, 2, 3, 4]},
              {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a' has datatype INT32", "expects FP32");
    }

    [Theory]
    [InlineData("[4]", "[1, 2, 3, 4]")]
    [InlineData("[1, 1, 4]", "[1, 2, 3, 4]")]
    [InlineData("[1, 3]", "[1, 2, 3]")]
    public async Task Infer_WithShapeNotMatchingModel_Returns400NamingInputAndExpectedShape(string shape, string data)
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", $$"""
            {"inputs": [
              {"name": "a", "shape": {{shape}}, "datatype": "FP32", "data": {{data}}},
              {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a' has shape " + shape.Replace(" ", "", StringComparison.Ordinal), "expects [-1,4]");
    }

    [Fact]
    public async Task Infer_WithMissingInput_Returns400NamingMissingInput()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", """
            {"inputs": [{"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "missing input 'b'", "FP32 [-1,4]");
    }

    [Fact]
    public async Task Infer_WithDuplicateInput_Returns400NamingInput()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", """
            {"inputs": [
              {"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
              {"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
              {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a' is given twice");
    }

    [Fact]
    public async Task Infer_WithUnknownRequestedOutput_Returns400NamingOutputAndExpectedOnes()
    {
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", """
            {"inputs": [
              {"name": "a", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]},
              {"name": "b", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}],
             "outputs": [{"name": "difference"}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "unknown output 'difference'", "'sum'", "'product'");
    }

    [Fact]
    public async Task Infer_WithBatchLargerThanMaxBatchSize_Returns400NamingInputAndLimit()
    {
        var data = "[" + string.Join(", ", Enumerable.Range(0, 36)) + "]";
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", $$"""
            {"inputs": [
              {"name": "a", "shape": [9, 4], "datatype": "FP32", "data": {{data}}},
              {"name": "b", "shape": [9, 4], "datatype": "FP32", "data": {{data}}}]}
            """);
        answer.AssertError(HttpStatusCode.BadRequest, "model 'add'", "input 'a' has batch size 9", "max_batch_size 8");
    }
}
