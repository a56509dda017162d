using Ferry.Storage.Tests.Fixtures;
using Ferry.Tracking.Registry;

namespace Ferry.Storage.Tests.Registry;

[Collection(StoresCollection.Name)]
public sealed class ModelRegistryTests(StoresFixture fixture)
{
    private static readonly ChangeContext Alice = new("alice");

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Register_AnOnnxFile_StoresItsSignatureSizeBlobAndAudit(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var file = OnnxFiles.Identity(test.Folder, width: 3);

        var record = await test.Registry.RegisterAsync(
            new ModelRegistration { ModelName = "churn", ArtifactPath = file, SourceRunId = "run-9", DatasetVersionIds = ["ds-1"] },
            Alice, CancellationToken.None);

        var read = await test.Registry.GetVersionAsync("churn", 1, CancellationToken.None);
        var audit = await test.Registry.ListAuditAsync("churn", 10, CancellationToken.None);
        Assert.Equal(1, record.Version);
        Assert.Equal(new FileInfo(file).Length, read.SizeBytes);
        Assert.Equal("x", read.Signature.Inputs.Single().Name);
        Assert.Equal([-1L, 3], read.Signature.Inputs.Single().Shape);
        Assert.Equal("y", read.Signature.Outputs.Single().Name);
        Assert.Equal("run-9", read.SourceRunId);
        Assert.Equal(["ds-1"], read.DatasetVersionIds);
        Assert.Equal([read.BlobDigest], test.BlobFiles());
        Assert.Equal([AuditAction.VersionCreated, AuditAction.ModelCreated], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("alice", a.Actor));
        Assert.All(audit, a => Assert.Equal(test.Time.GetUtcNow(), a.At));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Register_ABrokenOrNonOnnxFile_IsRefusedAndStoresNothing(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var truncated = OnnxFiles.Broken(test.Folder);
        var text = Path.Combine(test.Folder, "notes.onnx");
        await File.WriteAllTextAsync(text, "this is not a model");

        foreach (var file in new[] { truncated, text })
        {
            var e = await Assert.ThrowsAsync<FerryException>(() =>
                test.Registry.RegisterAsync(new ModelRegistration { ModelName = "churn", ArtifactPath = file }, Alice, CancellationToken.None));
            Assert.Equal(ErrorCode.InvalidArgument, e.Code);
            Assert.Contains("not a model ONNX Runtime can load", e.Message);
        }

        Assert.Null(await test.Store.GetModelAsync("churn", CancellationToken.None));
        Assert.Empty(await test.Store.ListAuditAsync("churn", 10, CancellationToken.None));
        Assert.Empty(test.BlobFiles());
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("x..y")]
    [InlineData("")]
    public async Task Register_WithANameThatCouldEscapeAFolder_IsRefused(string name)
    {
        await using var test = await fixture.OpenAsync(StoreKinds.Sqlite);
        var file = OnnxFiles.Identity(test.Folder);

        var e = await Assert.ThrowsAsync<FerryException>(() =>
            test.Registry.RegisterAsync(new ModelRegistration { ModelName = name, ArtifactPath = file }, Alice, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
        Assert.Contains("not a valid model name", e.Message);
        Assert.Empty(test.BlobFiles());
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Register_FromParallelCallers_GivesVersionsOneToN(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var files = Enumerable.Range(1, 8).Select(w => OnnxFiles.Identity(test.Folder, w)).ToArray();

        var records = await Task.WhenAll(files.Select(f => Task.Run(() =>
            test.Registry.RegisterAsync(new ModelRegistration { ModelName = "churn", ArtifactPath = f }, Alice, CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), records.Select(r => r.Version).Order());
        Assert.Equal(8, records.Select(r => r.BlobDigest).Distinct().Count());
        Assert.Single(await test.Store.ListAuditAsync("churn", 100, CancellationToken.None), a => a.Action == AuditAction.ModelCreated);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task DeleteVersion_OfABlobSharedWithAnotherVersion_KeepsTheBlobUntilTheLastGoes(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var file = OnnxFiles.Identity(test.Folder);
        var one = await Register(test, "churn", file);
        var two = await Register(test, "churn", file);

        await test.Registry.DeleteVersionAsync("churn", 1, Alice, CancellationToken.None);
        var afterFirst = test.BlobFiles();
        await test.Registry.DeleteVersionAsync("churn", 2, Alice, CancellationToken.None);

        Assert.Equal(one.BlobDigest, two.BlobDigest);
        Assert.Equal([one.BlobDigest], afterFirst);
        Assert.Empty(test.BlobFiles());
        Assert.Null(await test.Store.GetVersionAsync("churn", 2, CancellationToken.None));
        var e = await Assert.ThrowsAsync<FerryException>(() => test.Registry.DeleteVersionAsync("churn", 2, Alice, CancellationToken.None));
        Assert.Equal(ErrorCode.NotFound, e.Code);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task DeleteModel_RemovesVersionsAndBlobsOnlyItHeld(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var shared = OnnxFiles.Identity(test.Folder, 2);
        await Register(test, "churn", shared);
        var own = await Register(test, "churn", OnnxFiles.Identity(test.Folder, 5));
        var kept = await Register(test, "fraud", shared);

        await test.Registry.DeleteModelAsync("churn", new ChangeContext("bob", "retired"), CancellationToken.None);

        Assert.Null(await test.Store.GetModelAsync("churn", CancellationToken.None));
        Assert.Equal([kept.BlobDigest], test.BlobFiles());
        Assert.DoesNotContain(own.BlobDigest, test.BlobFiles());
        var last = (await test.Registry.ListAuditAsync("churn", 1, CancellationToken.None)).Single();
        Assert.Equal((AuditAction.ModelDeleted, "bob", "retired"), (last.Action, last.Actor, last.Reason));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task SetAlias_MovedBetweenVersions_IsAuditedWithActorReasonAndBothVersions(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        await Register(test, "churn", OnnxFiles.Identity(test.Folder, 1));
        await Register(test, "churn", OnnxFiles.Identity(test.Folder, 2));

        await test.Registry.SetAliasAsync("churn", "champion", 1, new ChangeContext("alice", "first release"), CancellationToken.None);
        test.Time.Advance(TimeSpan.FromMinutes(5));
        await test.Registry.SetAliasAsync("churn", "champion", 2, new ChangeContext("bob", "better AUC"), CancellationToken.None);

        var champion = await test.Registry.GetVersionByAliasAsync("churn", "champion", CancellationToken.None);
        var moves = (await test.Registry.ListAuditAsync("churn", 10, CancellationToken.None)).Where(a => a.Action == AuditAction.AliasSet).ToArray();
        Assert.Equal(2, champion.Version);
        Assert.Equal(("bob", "better AUC", "champion: 1 -> 2", 2L), (moves[0].Actor, moves[0].Reason, moves[0].Detail, moves[0].Version!.Value));
        Assert.Equal(("alice", "first release", "champion: -> 1"), (moves[1].Actor, moves[1].Reason, moves[1].Detail));
        Assert.Equal(TimeSpan.FromMinutes(5), moves[0].At - moves[1].At);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task DeleteVersion_ThatAnAliasNames_DropsTheAliasAndAuditsBoth(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        await Register(test, "churn", OnnxFiles.Identity(test.Folder));
        await test.Registry.SetAliasAsync("churn", "champion", 1, Alice, CancellationToken.None);

        await test.Registry.DeleteVersionAsync("churn", 1, new ChangeContext("bob", "bad data"), CancellationToken.None);

        var audit = await test.Registry.ListAuditAsync("churn", 2, CancellationToken.None);
        Assert.Equal([AuditAction.VersionDeleted, AuditAction.AliasDeleted], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(("bob", "bad data"), (a.Actor, a.Reason)));
        var e = await Assert.ThrowsAsync<FerryException>(() => test.Registry.GetVersionByAliasAsync("churn", "champion", CancellationToken.None));
        Assert.Equal(ErrorCode.NotFound, e.Code);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v3")]
    [InlineData("../x")]
    [InlineData("")]
    public async Task SetAlias_WithAReservedOrInvalidName_IsRefused(string alias)
    {
        await using var test = await fixture.OpenAsync(StoreKinds.Sqlite);
        await Register(test, "churn", OnnxFiles.Identity(test.Folder));

        var e = await Assert.ThrowsAsync<FerryException>(() => test.Registry.SetAliasAsync("churn", alias, 1, Alice, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Tags_SetAndDeleted_AreSearchableAndAudited(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        await Register(test, "churn", OnnxFiles.Identity(test.Folder));

        await test.Registry.SetTagAsync("churn", null, "team", "growth", Alice, CancellationToken.None);
        await test.Registry.SetTagAsync("churn", 1, "validated", "yes", Alice, CancellationToken.None);
        var models = await test.Registry.SearchModelsAsync(new ModelQuery { Tag = new TagFilter("team", "growth") }, CancellationToken.None);
        var versions = await test.Registry.SearchVersionsAsync(new VersionQuery { Tag = new TagFilter("validated", "yes") }, CancellationToken.None);
        await test.Registry.DeleteTagAsync("churn", 1, "validated", Alice, CancellationToken.None);

        Assert.Equal(["churn"], models.Items.Select(m => m.Name));
        Assert.Equal([1L], versions.Items.Select(v => v.Version));
        Assert.Empty((await test.Registry.GetVersionAsync("churn", 1, CancellationToken.None)).Tags);
        var audit = await test.Registry.ListAuditAsync("churn", 3, CancellationToken.None);
        Assert.Equal([AuditAction.TagDeleted, AuditAction.TagSet, AuditAction.TagSet], audit.Select(a => a.Action));
        Assert.Equal("validated=yes", audit[1].Detail);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task OpenArtifact_AfterTheBlobWasDamagedOnDisk_FailsClearly(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var record = await Register(test, "churn", OnnxFiles.Identity(test.Folder));
        var path = test.Blobs.PathOf(record.BlobDigest);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        await using var artifact = await test.Registry.OpenArtifactAsync("churn", 1, CancellationToken.None);
        var e = await Assert.ThrowsAsync<FerryException>(() => artifact.CopyToAsync(Stream.Null));

        Assert.Contains($"blob {record.BlobDigest} is corrupt", e.Message);
    }

    private static Task<Ferry.Storage.ModelVersionRecord> Register(TestStore test, string name, string file) =>
        test.Registry.RegisterAsync(new ModelRegistration { ModelName = name, ArtifactPath = file }, Alice, CancellationToken.None);
}
