using Ferry.Tests;

namespace Ferry.Server.Tests.Repository;

/// <summary>A server of its own whose model folders the tests change: new versions, corrupt files.</summary>
public sealed class RepositoryFixture : FerryServerFixture, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Writes version <paramref name="version"/> of an 'add' model into the repository.</summary>
    public void WriteAddVersion(string model, int version) => OnnxModelBuilder.AddFloats().WriteTo(Repository, model, version);

    protected override void WriteModels(string repository)
    {
        OnnxModelBuilder.AddFloats().WriteTo(repository, "rolling", 1);
        OnnxModelBuilder.AddFloats().WriteTo(repository, "evolving", 1);
    }
}

[CollectionDefinition(Name)]
public sealed class RepositoryCollection : ICollectionFixture<RepositoryFixture>
{
    public const string Name = "repository";
}
