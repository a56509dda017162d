using Ferry.Storage.Tests.Fixtures;

namespace Ferry.Storage.Tests.Sql;

[Collection(StoresCollection.Name)]
public sealed class SearchTests(StoresFixture fixture) : StoreTestBase(fixture)
{
    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task SearchVersions_PagedThroughEverything_ReturnsEachOnceInNameThenNewestOrder(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await FillAsync(test.Store);

        var seen = new List<(string, long)>();
        string? token = null;
        do
        {
            var page = await test.Store.SearchVersionsAsync(new VersionQuery { PageSize = 4, PageToken = token }, CancellationToken.None);
            Assert.InRange(page.Items.Count, 1, 4);
            seen.AddRange(page.Items.Select(v => (v.ModelName, v.Version)));
            token = page.NextPageToken;
        }
        while (token is not null);

        var expected = new[] { "fraud", "fraud-v2", "churn" }.Order(StringComparer.Ordinal)
            .SelectMany(name => Enumerable.Range(1, 5).Reverse().Select(v => (name, (long)v)));
        Assert.Equal(expected, seen);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task SearchVersions_ByNameTagAndAlias_ReturnsOnlyMatches(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await FillAsync(test.Store);

        var byName = await test.Store.SearchVersionsAsync(new VersionQuery { ModelName = "fraud" }, CancellationToken.None);
        var byPrefix = await test.Store.SearchVersionsAsync(new VersionQuery { NamePrefix = "fraud" }, CancellationToken.None);
        var byTag = await test.Store.SearchVersionsAsync(new VersionQuery { Tag = new TagFilter("parity", "even") }, CancellationToken.None);
        var byTagKey = await test.Store.SearchVersionsAsync(new VersionQuery { Tag = new TagFilter("parity") }, CancellationToken.None);
        var byAlias = await test.Store.SearchVersionsAsync(new VersionQuery { Alias = "champion" }, CancellationToken.None);
        var both = await test.Store.SearchVersionsAsync(
            new VersionQuery { ModelName = "churn", Tag = new TagFilter("parity", "odd") }, CancellationToken.None);

        Assert.Equal([5L, 4, 3, 2, 1], byName.Items.Select(v => v.Version));
        Assert.All(byName.Items, v => Assert.Equal("fraud", v.ModelName));
        Assert.Equal(10, byPrefix.Items.Count);
        Assert.Equal(6, byTag.Items.Count);
        Assert.All(byTag.Items, v => Assert.Equal("even", v.Tags["parity"]));
        Assert.Equal(15, byTagKey.Items.Count);
        Assert.Equal([("churn", 3L), ("fraud", 3L), ("fraud-v2", 3L)], byAlias.Items.Select(v => (v.ModelName, v.Version)));
        Assert.All(byAlias.Items, v => Assert.Equal(["champion"], v.Aliases));
        Assert.Equal([5L, 3, 1], both.Items.Select(v => v.Version));
        Assert.Null(both.NextPageToken);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task SearchVersions_ByTagAndAliasPagedInTwos_KeepsTheOrderOfAnUnpagedSearch(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await FillAsync(test.Store);

        // With planner statistics, as a store that has run its maintenance would have them.
        await test.Store.AnalyzeAsync(CancellationToken.None);

        foreach (var query in new[] { new VersionQuery { Tag = new TagFilter("parity", "odd") }, new VersionQuery { Alias = "champion" } })
        {
            var whole = await test.Store.SearchVersionsAsync(query, CancellationToken.None);
            var paged = new List<(string, long)>();
            string? token = null;
            do
            {
                var page = await test.Store.SearchVersionsAsync(query with { PageSize = 2, PageToken = token }, CancellationToken.None);
                paged.AddRange(page.Items.Select(v => (v.ModelName, v.Version)));
                token = page.NextPageToken;
            }
            while (token is not null);

            Assert.Equal(whole.Items.Select(v => (v.ModelName, v.Version)), paged);
            Assert.Equal(whole.Items.OrderBy(v => v.ModelName, StringComparer.Ordinal).ThenByDescending(v => v.Version), whole.Items);
        }
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task SearchModels_ByTagAliasAndName_PagesInNameOrder(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await FillAsync(test.Store);
        await CreateModelAsync(test.Store, "empty");

        var first = await test.Store.SearchModelsAsync(new ModelQuery { PageSize = 2 }, CancellationToken.None);
        var second = await test.Store.SearchModelsAsync(new ModelQuery { PageSize = 2, PageToken = first.NextPageToken }, CancellationToken.None);
        var byTag = await test.Store.SearchModelsAsync(new ModelQuery { Tag = new TagFilter("team", "risk") }, CancellationToken.None);
        var byAlias = await test.Store.SearchModelsAsync(new ModelQuery { Alias = "champion" }, CancellationToken.None);
        var contains = await test.Store.SearchModelsAsync(new ModelQuery { NameContains = "-v" }, CancellationToken.None);

        Assert.Equal(["churn", "empty"], first.Items.Select(m => m.Name));
        Assert.Equal(["fraud", "fraud-v2"], second.Items.Select(m => m.Name));
        Assert.Null(second.NextPageToken);
        Assert.Equal(["fraud", "fraud-v2"], byTag.Items.Select(m => m.Name));
        Assert.Equal("risk", byTag.Items[0].Tags["team"]);
        Assert.Equal(3, byAlias.Items[0].Aliases["champion"]);
        Assert.Equal(3, byAlias.Items.Count);
        Assert.Equal(["fraud-v2"], contains.Items.Select(m => m.Name));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Search_WithAForgedPageToken_IsInvalidArgument(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);

        var e = await Assert.ThrowsAsync<FerryException>(() =>
            test.Store.SearchVersionsAsync(new VersionQuery { PageToken = "not a token!" }, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
    }

    /// <summary>Three models of five versions each; odd and even versions tagged; version 3 is each model's champion.</summary>
    private static async Task FillAsync(IMetadataStore store)
    {
        foreach (var name in new[] { "fraud", "churn", "fraud-v2" })
        {
            await CreateModelAsync(store, name, name.StartsWith("fraud", StringComparison.Ordinal) ? [("team", "risk")] : [("team", "growth")]);
            for (var i = 1; i <= 5; i++)
            {
                await AddVersionAsync(store, name, i, new Dictionary<string, string> { ["parity"] = i % 2 == 0 ? "even" : "odd" });
            }

            await using var tx = await store.BeginAsync(CancellationToken.None);
            await tx.SetAliasAsync(name, "champion", 3, Now, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
    }
}
