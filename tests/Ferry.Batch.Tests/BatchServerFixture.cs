using Ferry.Tests;

namespace Ferry.Batch.Tests;

/// <summary>A real Kestrel server with the adder model and a data folder under its home.</summary>
public sealed class BatchServerFixture : FerryServerFixture, IAsyncLifetime
{
    public string DataRoot => Path.Combine(Home, "data");

    protected override void WriteModels(string repository) => OnnxModelBuilder.AddFloats(width: 1).WriteTo(repository, "adder");

    Task IAsyncLifetime.InitializeAsync()
    {
        Directory.CreateDirectory(DataRoot);
        return StartAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
