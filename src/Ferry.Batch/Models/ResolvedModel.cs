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
}
