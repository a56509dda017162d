namespace Ferry.Storage.Tests.Fixtures;

/// <summary>Every test class that needs a store shares one PostgreSQL cluster.</summary>
[CollectionDefinition(Name)]
public sealed class StoresCollection : ICollectionFixture<StoresFixture>
{
    public const string Name = "stores";
}
