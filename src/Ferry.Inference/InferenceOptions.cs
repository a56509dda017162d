namespace Ferry.Inference;

/// <summary>Settings of the inference engine, bound from the <c>Ferry:Inference</c> section and the CLI.</summary>
public sealed class InferenceOptions
{
    public const string Section = "Ferry:Inference";

    /// <summary>Folders in Triton's layout (<c>&lt;repo&gt;/&lt;model&gt;/&lt;version&gt;/model.onnx</c>).</summary>
    public List<string> ModelRepositories { get; set; } = [];

    /// <summary>Threads ONNX Runtime uses inside one operator; default: the number of cores.</summary>
    public int IntraOpThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Threads ONNX Runtime uses across independent operators; default 1 (sequential execution).</summary>
    public int InterOpThreads { get; set; } = 1;

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin while waiting for work. Off by default: on a small shared
    /// machine spinning threads take cores from the request threads.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Load every model found in the repositories at start (Triton's default <c>none</c> control mode).</summary>
    public bool LoadAllAtStart { get; set; } = true;
}
