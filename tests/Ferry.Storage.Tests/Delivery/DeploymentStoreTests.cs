using Ferry.Storage.Delivery;
using Ferry.Storage.Tests.Fixtures;

namespace Ferry.Storage.Tests.Delivery;

[Collection(StoresCollection.Name)]
public sealed class DeploymentStoreTests(StoresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Create_TwiceWithOneName_SecondIsAlreadyExistsAndWritesNoEvent(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var store = test.Store.Deployments;

        var created = await store.CreateAsync(Record("fraud", "{\"a\":1}"), [Event("fraud", "created")], CancellationToken.None);
        var again = await Assert.ThrowsAsync<FerryException>(() =>
            store.CreateAsync(Record("fraud", "{\"a\":2}"), [Event("fraud", "created-again")], CancellationToken.None));

        Assert.Equal(1, created.Revision);
        Assert.Equal(ErrorCode.AlreadyExists, again.Code);
        var read = await store.GetAsync("fraud", CancellationToken.None);
        Assert.Equal("{\"a\":1}", read?.Document);
        Assert.Equal("model-a", read?.Model);
        var events = await store.ListEventsAsync("fraud", 0, 100, CancellationToken.None);
        Assert.Equal(["created"], events.Select(e => e.Kind));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Update_AtStaleRevision_ThrowsAndChangesNothing(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var store = test.Store.Deployments;
        await store.CreateAsync(Record("churn", "{}"), [Event("churn", "created")], CancellationToken.None);

        var updated = await store.UpdateAsync("churn", 1, "{\"w\":10}", [Event("churn", "weight", "{\"weight\":10}")], Now.AddMinutes(1), CancellationToken.None);
        await Assert.ThrowsAsync<StaleRevisionException>(() =>
            store.UpdateAsync("churn", 1, "{\"w\":99}", [Event("churn", "lost")], Now.AddMinutes(2), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<FerryException>(() =>
            store.UpdateAsync("nope", 1, "{}", [], Now, CancellationToken.None));

        Assert.Equal(2, updated.Revision);
        Assert.Equal(ErrorCode.NotFound, missing.Code);
        var read = await store.GetAsync("churn", CancellationToken.None);
        Assert.Equal("{\"w\":10}", read?.Document);
        Assert.Equal(Now.AddMinutes(1), read?.UpdatedAt);
        var events = await store.ListEventsAsync("churn", 0, 100, CancellationToken.None);
        Assert.Equal(["created", "weight"], events.Select(e => e.Kind));
        Assert.Equal("{\"weight\":10}", events[1].Detail);
        var after = await store.ListEventsAsync("churn", events[0].Id, 100, CancellationToken.None);
        Assert.Equal(["weight"], after.Select(e => e.Kind));
        Assert.Equal(["churn"], (await store.ListAsync(CancellationToken.None)).Select(d => d.Name));
    }

    private static DeploymentRecord Record(string name, string document) =>
        new() { Name = name, Model = "model-a", Document = document, CreatedAt = Now };

    private static DeploymentEvent Event(string deployment, string kind, string? detail = null) =>
        new() { Deployment = deployment, Kind = kind, Message = kind, Detail = detail, Actor = "alice", At = Now };
}
