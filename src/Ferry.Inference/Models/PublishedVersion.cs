namespace Ferry.Inference.Models;

/// <summary>
/// One version a source outside the repositories (the model registry) asks to serve: an ONNX file that does not
/// change for as long as the version exists, so a version already loaded from the same path is kept, not reloaded.
/// </summary>
public sealed record PublishedVersion(long Version, string Path)
{
    public ModelConfig Config { get; init; } = ModelConfig.Default;
}
