using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Ferry.Server.Tests.Registry;

/// <summary>The management API's reads and changes through the real server.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ManagementApiTests(RegistryServerFixture server)
{
    [Fact]
    public async Task MultipartUpload_WithLineageAndTags_IsSearchableByModelTagAndAlias()
    {
        using var writer = server.Client(server.WriterToken);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(RegistryCalls.AddModel());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        using var response = await writer.PostAsync("/api/v1/registry/versions?name=tagged&alias=staging&run=run-7&dataset=ds-1&tag=team=fraud", form);
        var created = (await RestAnswer.ReadAsync(response)).AssertOk();
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("run-7", (string?)created.Json?["sourceRunId"]);
        Assert.Equal("fraud", (string?)created.Json?["tags"]?["team"]);
        Assert.Equal("""["staging"]""", created.Json?["aliases"]?.ToJsonString());

        // Upload tags go on the version; model tags are searched, so the model gets one too.
        using var tag = new StringContent("""{"value": "fraud"}""", Encoding.UTF8, "application/json");
        (await RestAnswer.ReadAsync(await writer.PutAsync("/api/v1/registry/models/tagged/tags/team", tag))).AssertOk();
        using var reader = server.Client(server.ReaderToken);
        var byTag = (await reader.GetAnswerAsync("/api/v1/registry/models?tag=team=fraud")).AssertOk();
        Assert.Equal("tagged", (string?)byTag.Json?["items"]?[0]?["name"]);
        var byAlias = (await reader.GetAnswerAsync("/api/v1/registry/models?alias=staging&name=tagg")).AssertOk();
        Assert.Single(byAlias.Json!["items"]!.AsArray());
    }

    [Fact]
    public async Task History_RecordsEveryChangeWithActorAndReason()
    {
        using var writer = server.Client(server.WriterToken);
        (await writer.UploadAsync("audited", RegistryCalls.AddModel())).AssertOk();
        (await writer.SetAliasAsync("audited", "champion", 1, "passed review")).AssertOk();
        using var tag = new StringContent("""{"value": "prod"}""", Encoding.UTF8, "application/json");
        (await RestAnswer.ReadAsync(await writer.PutAsync("/api/v1/registry/models/audited/tags/stage", tag))).AssertOk();
        (await RestAnswer.ReadAsync(await writer.DeleteAsync("/api/v1/registry/models/audited/aliases/champion?reason=rollback"))).AssertOk();

        var audit = (await writer.GetAnswerAsync("/api/v1/registry/models/audited/audit")).AssertOk().Json!.AsArray();
        Assert.Equal(["AliasDeleted", "TagSet", "AliasSet", "VersionCreated", "ModelCreated"], audit.Select(e => (string)e!["action"]!).ToArray());
        Assert.All(audit, e => Assert.Equal("writer", (string?)e!["actor"]));
        Assert.Equal("passed review", (string?)audit[2]!["reason"]);
        Assert.Equal("rollback", (string?)audit[0]!["reason"]);
    }

    [Fact]
    public async Task DeletingTheServedVersion_StopsServingIt()
    {
        using var writer = server.Client(server.WriterToken);
        (await writer.UploadAsync("retired", RegistryCalls.AddModel(), "&alias=champion")).AssertOk();
        (await server.Http.PostJsonAsync("/v2/models/retired/infer", RestCalls.AddRequest())).AssertOk();

        (await RestAnswer.ReadAsync(await writer.DeleteAsync("/api/v1/registry/models/retired/versions/1?reason=bad"))).AssertOk();

        (await server.Http.PostJsonAsync("/v2/models/retired/infer", RestCalls.AddRequest())).AssertError(HttpStatusCode.NotFound, "retired");
        (await writer.GetAnswerAsync("/api/v1/registry/models/retired/versions/1")).AssertProblem(HttpStatusCode.NotFound, "no version 1");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheRegistryApi()
    {
        var document = (await server.Http.GetAnswerAsync("/openapi/v1.json")).AssertOk();
        var paths = document.Json?["paths"]?.AsObject();
        Assert.NotNull(paths);
        Assert.Contains("/api/v1/registry/versions", paths.Select(p => p.Key));
        Assert.Contains("/api/v1/registry/models/{name}/aliases/{alias}", paths.Select(p => p.Key));
    }
}
