namespace Ferry.Server.Registry;

/// <summary>Settings of the model registry in the server: where it is stored, how it is served and who may change it.</summary>
public sealed class RegistryOptions
{
    public const string Section = "Ferry:Registry";

    /// <summary>The metadata store: null for SQLite at <c>&lt;home&gt;/ferry.db</c>, a <c>postgresql://</c> URI or connection string, or <c>sqlite:PATH</c>.</summary>
    public string? Store { get; set; }

    /// <summary>The blob store's folder; <c>&lt;home&gt;/blobs</c> by default. Replicas must share it.</summary>
    public string? BlobsDirectory { get; set; }

    /// <summary>The alias served at <c>/v2/models/{name}</c>; <c>champion</c> by default.</summary>
    public string DefaultAlias { get; set; } = "champion";

    /// <summary>How often the registry is read for changes made by other replicas; 2 seconds by default.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>When on, the management API needs a bearer token: reader for reads, writer or admin for changes. Off by default.</summary>
    public bool Auth { get; set; }

    /// <summary>When on (and <see cref="Auth"/> is on), inference needs a reader token too. Off by default: inference is open.</summary>
    public bool ProtectInference { get; set; }

    /// <summary>Largest ONNX file accepted by an upload; larger ones get 413. Default 2 GiB.</summary>
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
