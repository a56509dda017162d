namespace Ferry.Storage.Tests.Fixtures;

/// <summary>The theory data that runs a store test once per implementation.</summary>
public static class StoreKinds
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgresql";

    public static TheoryData<string> All => new(Sqlite, Postgres);
}
