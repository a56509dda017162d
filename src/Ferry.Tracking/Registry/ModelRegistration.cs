namespace Ferry.Tracking.Registry;

/// <summary>A new model version to register from an ONNX file; the model is created when it does not exist yet.</summary>
public sealed record ModelRegistration
{
    public required string ModelName { get; init; }

    /// <summary>The ONNX file. It is copied into the blob store; the registry never keeps a reference to this path.</summary>
    public required string ArtifactPath { get; init; }

    public string? Description { get; init; }

    public string? SourceRunId { get; init; }

    public IReadOnlyList<string> DatasetVersionIds { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
