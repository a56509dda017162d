using Ferry.Storage.Tests.Fixtures;
using Ferry.Storage.Tests.Sql;

namespace Ferry.Storage.Tests.Tracking;

[Collection(StoresCollection.Name)]
public sealed class LineageQueryTests(StoresFixture fixture) : StoreTestBase(fixture)
{
    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task ModelVersionsFrom_MatchByDatasetIdOrSourceRun_AndNothingElse(string kind)
    {
        await using var test = await Fixture.OpenAsync(kind);
        await CreateModelAsync(test.Store, "churn");
        await AddVersionAsync(test.Store, "churn");

        // NewVersion records source run "run-1" and datasets "ds-1", "ds-2"; "ds-" alone must not match by prefix.
        var byDataset = await test.Store.Tracking.ListModelVersionsFromAsync("ds-2", [], CancellationToken.None);
        var byRun = await test.Store.Tracking.ListModelVersionsFromAsync("other", ["run-0", "run-1"], CancellationToken.None);
        var byPrefix = await test.Store.Tracking.ListModelVersionsFromAsync("ds-", ["run-9"], CancellationToken.None);

        Assert.Equal(("churn", 1L, (string?)"run-1"), Assert.Single(byDataset));
        Assert.Equal(("churn", 1L, (string?)"run-1"), Assert.Single(byRun));
        Assert.Empty(byPrefix);
    }
}
