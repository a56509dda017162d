using Ferry.Tests;

namespace Ferry.Server.Tests.Metrics;

/// <summary>A server of its own, so that no other test's traffic moves the counters.</summary>
public sealed class MetricsFixture : FerryServerFixture, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void WriteModels(string repository)
    {
        OnnxModelBuilder.AddFloats().WriteTo(repository, "scored");
        File.WriteAllText(Path.Combine(repository, "scored", "config.json"), """{"max_batch_size": 8}""");
    }
}

[CollectionDefinition(Name)]
public sealed class MetricsCollection : ICollectionFixture<MetricsFixture>
{
    public const string Name = "metrics";
}
