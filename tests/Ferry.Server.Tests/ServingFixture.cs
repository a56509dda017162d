using Ferry.Tests;

namespace Ferry.Server.Tests;

/// <summary>A server with an identity model per data type and a batching two-input model.</summary>
public sealed class ServingFixture : FerryServerFixture, IAsyncLifetime
{
    public static readonly DataType[] AllTypes = Enum.GetValues<DataType>();

    public static string IdentityName(DataType type) => "id_" + type.ToProtocolName().ToLowerInvariant();

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void WriteModels(string repository)
    {
        foreach (var type in AllTypes)
        {
            OnnxModelBuilder.Identity(type, null, 3).WriteTo(repository, IdentityName(type));
        }

        OnnxModelBuilder.AddFloats().WriteTo(repository, "add");
        File.WriteAllText(Path.Combine(repository, "add", "config.json"), """{"max_batch_size": 8}""");

        // No batching, so any number of rows: requests large enough for inputs bound in place (InPlaceBinaryTests).
        OnnxModelBuilder.AddFloats().WriteTo(repository, "add_wide");

        // For tests that unload a model; nothing else uses it.
        OnnxModelBuilder.AddFloats().WriteTo(repository, "spare");

        // Two versions; the default policy serves the latest only, 'multi' serves both.
        OnnxModelBuilder.AddFloats().WriteTo(repository, "multi", 1);
        new OnnxModelBuilder()
            .Input("a", DataType.Fp32, null, 4).Input("b", DataType.Fp32, null, 4)
            .Output("sum", DataType.Fp32, null, 4).Output("product", DataType.Fp32, null, 4)
            .Node("Sub", ["a", "b"], ["sum"]).Node("Mul", ["a", "b"], ["product"])
            .WriteTo(repository, "multi", 2);
        File.WriteAllText(Path.Combine(repository, "multi", "config.json"), """{"version_policy": {"all": {}}}""");

        // An output whose shape follows the values, not the input's shape: the indices of the non-zero elements.
        new OnnxModelBuilder()
            .Input("x", DataType.Fp32, 4).Output("indices", DataType.Int64, 1, null)
            .Node("NonZero", ["x"], ["indices"])
            .WriteTo(repository, "nonzero");
    }
}

[CollectionDefinition(Name)]
public sealed class ServingCollection : ICollectionFixture<ServingFixture>
{
    public const string Name = "serving";
}
