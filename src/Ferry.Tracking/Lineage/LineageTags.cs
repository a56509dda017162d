namespace Ferry.Tracking.Lineage;

/// <summary>
/// Run tags that link a run to what it used without a table of their own: a batch run names the registered model
/// version it scored with, and lineage finds the runs that used a version by searching these tags.
/// </summary>
public static class LineageTags
{
    /// <summary>The registered model a run used (set by batch runs).</summary>
    public const string ModelName = "ferry.model.name";

    /// <summary>The version of <see cref="ModelName"/> the run used.</summary>
    public const string ModelVersion = "ferry.model.version";

    /// <summary>The alias the version was found by, when there was one.</summary>
    public const string ModelAlias = "ferry.model.alias";

    /// <summary>The content digest of a batch job's input (the dataset manifest digest).</summary>
    public const string InputDigest = "ferry.batch.input_digest";

    /// <summary>The content digest of a batch job's finished output (the dataset manifest digest).</summary>
    public const string OutputDigest = "ferry.batch.output_digest";

    /// <summary>Why a batch run failed.</summary>
    public const string Error = "ferry.batch.error";

    /// <summary>The dataset context of a batch job's input.</summary>
    public const string InputContext = "batch-input";

    /// <summary>The dataset context of a batch job's registered output.</summary>
    public const string OutputContext = "batch-output";
}
