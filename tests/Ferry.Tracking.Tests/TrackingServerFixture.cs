using Ferry.Tests;

namespace Ferry.Tracking.Tests;

/// <summary>A real server with no models: the tracking API over the embedded store in a temporary home.</summary>
public sealed class TrackingServerFixture : FerryServerFixture, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class TrackingServerCollection : ICollectionFixture<TrackingServerFixture>
{
    public const string Name = "tracking-server";
}
