namespace Ferry.Batch.Models;

/// <summary>A concrete model version on disk: what the checkpoint records so a changed model is not mixed in.</summary>
public sealed record ResolvedModel
{
    public required string Name { get; init; }

    public required long Version { get; init; }

    /// <summary>The ONNX file.</summary>
    public required string Path { get; init; }

    /// <summary>The model folder (holds the version folders and the optional <c>config.json</c>).</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>True when the version is a registered model version (lineage links the run to it), false for a repository folder.</summary>
    public bool Registered { get; init; }

    /// <summary>The alias the version was found by, when the reference named one.</summary>
    public string? Alias { get; init; }
}
