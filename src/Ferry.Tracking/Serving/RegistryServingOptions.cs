namespace Ferry.Tracking.Serving;

/// <summary>How registered models are served.</summary>
public sealed record RegistryServingOptions
{
    /// <summary>The alias that answers <c>/v2/models/{name}</c>; <c>champion</c> by default.</summary>
    public string DefaultAlias { get; init; } = "champion";

    /// <summary>Where verified copies of served artifacts are kept for ONNX Runtime to open (a folder inside the home).</summary>
    public required string CacheDirectory { get; init; }
}
