using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>Bodies over the configured limit (the fixture's 8 MiB) are refused with 413, however they are sent.</summary>
[Collection(ServingCollection.Name)]
public sealed class BodyLimitTests
{
    private const long OverLimit = 9L * 1024 * 1024;

    private readonly HttpClient _http;

    public BodyLimitTests(ServingFixture server)
    {
        _http = server.Http;
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Infer_WithBodyOverLimit_Returns413NamingLimit(bool contentLength, bool expectContinue)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/add/infer") { Content = new RepeatingContent(OverLimit, contentLength) };
        request.Headers.TransferEncodingChunked = !contentLength;

        // As curl does for large bodies: with a declared length the server refuses before a byte of the body is sent.
        request.Headers.ExpectContinue = expectContinue;
        using var response = await _http.SendAsync(request);
        var answer = await RestAnswer.ReadAsync(response);
        answer.AssertError(HttpStatusCode.RequestEntityTooLarge, "model 'add'", "larger than the limit of 8388608 bytes");
    }

    [Fact]
    public async Task Infer_WithBodyJustUnderLimit_IsDecodedNotRefused()
    {
        // Whitespace pads a valid request to just under the limit: the limit counts bytes, not elements.
        var json = RestCalls.AddRequest();
        var padded = json + new string(' ', (int)(8L * 1024 * 1024) - json.Length - 16);
        var answer = await _http.PostJsonAsync("/v2/models/add/infer", padded);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("[11,22,33,44]", answer.Json!["outputs"]![0]!["data"]!.ToJsonString());
    }
}
