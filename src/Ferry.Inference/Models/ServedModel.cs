namespace Ferry.Inference.Models;

/// <summary>An immutable snapshot of what is served for one model name; replaced whole on load or unload.</summary>
internal sealed record ServedModel
{
    public static ServedModel Empty { get; } = new();

    public IReadOnlyDictionary<long, ModelVersion> Versions { get; init; } = new Dictionary<long, ModelVersion>();

    public ModelVersion? Latest { get; init; }

    public ModelState State { get; init; } = ModelState.Unavailable;

    /// <summary>Why the model is unavailable, or why its last reload failed while older versions still serve.</summary>
    public string Reason { get; init; } = "";

    /// <summary>True when the model should be loaded (it was loaded at start or by request and not unloaded since).</summary>
    public bool Wanted { get; init; }
}
