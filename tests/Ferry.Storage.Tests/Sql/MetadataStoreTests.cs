using Ferry.Storage.Tests.Fixtures;

namespace Ferry.Storage.Tests.Sql;

[Collection(StoresCollection.Name)]
public sealed class MetadataStoreTests(StoresFixture fixture) : StoreTestBase(fixture)
{
    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Open_Again_AppliesNoMigrationTwiceAndKeepsData(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        var version = await test.Store.GetSchemaVersionAsync(CancellationToken.None);
        await CreateModelAsync(test.Store, "churn");

        await test.OpenAsync();
        await test.OpenAsync();

        // The highest step is the delivery tables' (20); registry and tracking steps fill in below it.
        Assert.Equal(20, version);
        Assert.Equal(version, await test.Store.GetSchemaVersionAsync(CancellationToken.None));
        Assert.NotNull(await test.Store.GetModelAsync("churn", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task AddVersion_RoundTripsEveryField(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await CreateModelAsync(test.Store, "churn");
        await AddVersionAsync(test.Store, "churn", 7, new Dictionary<string, string> { ["stage"] = "dev" });

        var read = await test.Store.GetVersionAsync("churn", 1, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(Digest(7), read.BlobDigest);
        Assert.Equal(1007, read.SizeBytes);
        Assert.Equal(ModelVersionStatus.Ready, read.Status);
        Assert.Equal("run-1", read.SourceRunId);
        Assert.Equal(["ds-1", "ds-2"], read.DatasetVersionIds);
        Assert.Equal(Now, read.CreatedAt);
        Assert.Equal("alice", read.CreatedBy);
        Assert.Equal("dev", read.Tags["stage"]);
        Assert.Equal("x", read.Signature.Inputs[0].Name);
        Assert.Equal([-1L, 4], read.Signature.Inputs[0].Shape);
        Assert.Equal(DataType.Int64, read.Signature.Outputs[0].DataType);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task AddVersion_FromParallelTransactions_GivesEveryNumberOnceAndInOrder(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await CreateModelAsync(test.Store, "churn");

        var numbers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
            (await AddVersionAsync(test.Store, "churn", i)).Version)));

        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), numbers.Order());
        Assert.Equal(24, (await test.Store.GetModelAsync("churn", CancellationToken.None))!.LastVersion);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task AddVersion_AfterADelete_DoesNotReuseTheNumber(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await CreateModelAsync(test.Store, "churn");
        await AddVersionAsync(test.Store, "churn");
        await AddVersionAsync(test.Store, "churn");
        await using (var tx = await test.Store.BeginAsync(CancellationToken.None))
        {
            await tx.DeleteVersionAsync("churn", 2, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        var next = await AddVersionAsync(test.Store, "churn");

        Assert.Equal(3, next.Version);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Transaction_DisposedWithoutCommit_LeavesNothing(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await using (var tx = await test.Store.BeginAsync(CancellationToken.None))
        {
            await tx.CreateModelAsync("churn", null, Now, CancellationToken.None);
            await tx.AddVersionAsync(NewVersion("churn", 1), CancellationToken.None);
        }

        Assert.Null(await test.Store.GetModelAsync("churn", CancellationToken.None));
        Assert.Equal(0, await test.Store.CountBlobReferencesAsync(Digest(1), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task CreateModel_Twice_IsRefused(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await CreateModelAsync(test.Store, "churn");

        var e = await Assert.ThrowsAsync<FerryException>(() => CreateModelAsync(test.Store, "churn"));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
        Assert.Contains("already exists", e.Message);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task SetAlias_Moved_PointsAtOneVersionAndReturnsThePrevious(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await CreateModelAsync(test.Store, "churn");
        await AddVersionAsync(test.Store, "churn");
        await AddVersionAsync(test.Store, "churn");
        long? first;
        long? second;
        await using (var tx = await test.Store.BeginAsync(CancellationToken.None))
        {
            first = await tx.SetAliasAsync("churn", "champion", 1, Now, CancellationToken.None);
            second = await tx.SetAliasAsync("churn", "champion", 2, Now, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        var model = await test.Store.GetModelAsync("churn", CancellationToken.None);
        var champion = await test.Store.GetVersionByAliasAsync("churn", "champion", CancellationToken.None);
        var one = await test.Store.GetVersionAsync("churn", 1, CancellationToken.None);

        Assert.Null(first);
        Assert.Equal(1, second);
        Assert.Equal(2, model!.Aliases["champion"]);
        Assert.Single(model.Aliases);
        Assert.Equal(2, champion!.Version);
        Assert.Equal(["champion"], champion.Aliases);
        Assert.Empty(one!.Aliases);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task SetAlias_ToAMissingVersion_IsNotFound(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await CreateModelAsync(test.Store, "churn");
        await using var tx = await test.Store.BeginAsync(CancellationToken.None);

        var e = await Assert.ThrowsAsync<FerryException>(() => tx.SetAliasAsync("churn", "champion", 9, Now, CancellationToken.None));

        Assert.Equal(ErrorCode.NotFound, e.Code);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task DeleteVersion_TakesItsTagsAndAliasesWithIt(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await CreateModelAsync(test.Store, "churn");
        await AddVersionAsync(test.Store, "churn", 1, new Dictionary<string, string> { ["stage"] = "prod" });
        ModelVersionRecord? deleted;
        await using (var tx = await test.Store.BeginAsync(CancellationToken.None))
        {
            await tx.SetAliasAsync("churn", "champion", 1, Now, CancellationToken.None);
            deleted = await tx.DeleteVersionAsync("churn", 1, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        var tagged = await test.Store.SearchVersionsAsync(new VersionQuery { Tag = new TagFilter("stage") }, CancellationToken.None);

        Assert.Equal(["champion"], deleted!.Aliases);
        Assert.Null(await test.Store.GetVersionAsync("churn", 1, CancellationToken.None));
        Assert.Empty((await test.Store.GetModelAsync("churn", CancellationToken.None))!.Aliases);
        Assert.Empty(tagged.Items);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Tokens_AreFoundByHashAndRevoked(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await using (var tx = await test.Store.BeginAsync(CancellationToken.None))
        {
            await tx.CreateTokenAsync(new ApiToken { Name = "ci", Role = TokenRole.Writer, Hash = Digest(5), CreatedAt = Now }, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }

        var found = await test.Store.FindTokenAsync(Digest(5), CancellationToken.None);
        await using (var tx = await test.Store.BeginAsync(CancellationToken.None))
        {
            Assert.True(await tx.RevokeTokenAsync("ci", Now.AddDays(1), CancellationToken.None));
            await tx.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(TokenRole.Writer, found!.Role);
        Assert.Null(found.RevokedAt);
        Assert.Equal(Now.AddDays(1), (await test.Store.FindTokenAsync(Digest(5), CancellationToken.None))!.RevokedAt);
        Assert.Null(await test.Store.FindTokenAsync(Digest(6), CancellationToken.None));
    }
}
