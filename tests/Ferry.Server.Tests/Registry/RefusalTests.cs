using System.Net;
using System.Text;

namespace Ferry.Server.Tests.Registry;

/// <summary>Every refusal is a clear 4xx with problem details, and leaves the store and the blob folder as they were.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RefusalTests(RegistryServerFixture server)
{
    [Fact]
    public async Task Upload_OfCorruptOnnx_Returns400AndStoresNothing()
    {
        using var writer = server.Client(server.WriterToken);
        var before = await SnapshotAsync();
        var answer = await writer.UploadAsync("corrupt", Encoding.UTF8.GetBytes("this is not an ONNX model"));
        answer.AssertProblem(HttpStatusCode.BadRequest, "corrupt");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Upload_UnderPathEscapingName_Returns400AndStoresNothing()
    {
        using var writer = server.Client(server.WriterToken);
        var before = await SnapshotAsync();
        var answer = await writer.UploadAsync("../x", RegistryCalls.AddModel());
        answer.AssertProblem(HttpStatusCode.BadRequest, "not a valid model name");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_Returns413AndStoresNothing()
    {
        using var writer = server.Client(server.WriterToken);
        var before = await SnapshotAsync();
        var answer = await writer.UploadAsync("oversized", new byte[RegistryServerFixture.UploadLimit + 1]);
        answer.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "upload limit");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "Authorization: Bearer")]
    [InlineData("ferry_not-a-real-token", HttpStatusCode.Unauthorized, "unknown or revoked")]
    [InlineData("reader", HttpStatusCode.Forbidden, "needs writer")]
    public async Task Upload_WithoutAWriterToken_IsRefusedAndStoresNothing(string? token, HttpStatusCode status, string fragment)
    {
        using var client = server.Client(token == "reader" ? server.ReaderToken : token);
        var before = await SnapshotAsync();
        var answer = await client.UploadAsync("unauthorised", RegistryCalls.AddModel());
        answer.AssertProblem(status, fragment);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task AliasMove_WithAReaderToken_Returns403AndKeepsTheAlias()
    {
        using var writer = server.Client(server.WriterToken);
        (await writer.UploadAsync("guarded", RegistryCalls.AddModel(), "&alias=champion")).AssertOk();
        (await writer.UploadAsync("guarded", RegistryCalls.AddModel())).AssertOk();
        using var reader = server.Client(server.ReaderToken);

        (await reader.SetAliasAsync("guarded", "champion", 2)).AssertProblem(HttpStatusCode.Forbidden, "needs writer");

        var alias = (await reader.GetAnswerAsync("/api/v1/registry/models/guarded/aliases/champion")).AssertOk();
        Assert.Equal(1, (long?)alias.Json?["version"]);
    }

    /// <summary>Everything a refusal could have changed: every model with its versions and audit, and the blob files.</summary>
    private async Task<string> SnapshotAsync()
    {
        using var reader = server.Client(server.ReaderToken);
        var text = new StringBuilder();
        var list = (await reader.GetAnswerAsync("/api/v1/registry/models?pageSize=1000")).AssertOk();
        foreach (var model in list.Json!["items"]!.AsArray())
        {
            var name = (string)model!["name"]!;
            text.AppendLine((await reader.GetAnswerAsync($"/api/v1/registry/models/{name}")).Text);
            text.AppendLine((await reader.GetAnswerAsync($"/api/v1/registry/models/{name}/audit")).Text);
        }

        var blobs = Path.Combine(server.Home, "blobs");
        foreach (var file in Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Order() : Enumerable.Empty<string>())
        {
            text.AppendLine(file);
        }

        return text.ToString();
    }
}
