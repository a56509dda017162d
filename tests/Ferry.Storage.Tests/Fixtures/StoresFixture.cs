namespace Ferry.Storage.Tests.Fixtures;

/// <summary>Starts one PostgreSQL cluster for the whole run; hands each test a fresh store of the kind it asks for.</summary>
public sealed class StoresFixture : IAsyncLifetime
{
    private PostgresCluster? _cluster;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started");

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>A new, empty store with a blob folder of its own; the caller disposes it.</summary>
    public async Task<TestStore> OpenAsync(string kind)
    {
        var folder = Directory.CreateTempSubdirectory("ferry-store-").FullName;
        var location = kind switch
        {
            StoreKinds.Sqlite => Path.Combine(folder, "ferry.db"),
            StoreKinds.Postgres => await Cluster.CreateDatabaseAsync(CancellationToken.None),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var test = new TestStore(kind, folder, location);
        await test.OpenAsync();
        return test;
    }
}
