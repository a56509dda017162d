namespace Ferry.Batch.Checkpoint;

/// <summary>
/// The checkpoint of one output: what the run was made of (<see cref="Fingerprint"/>), which parts are done, and
/// how it ended. It sits next to the output as <c>OUTPUT.ferry-checkpoint.json</c>.
/// </summary>
public sealed record CheckpointManifest
{
    public const string Running = "running";
    public const string Failed = "failed";
    public const string Complete = "complete";

    public int FormatVersion { get; init; } = 1;

    public required string State { get; init; }

    /// <summary>Digests of the input files and the model, and the options that shape the output.</summary>
    public required string Fingerprint { get; init; }

    public string? Error { get; init; }

    /// <summary>The tracking run of this job, so that a resumed job continues it rather than starting a second one.</summary>
    public string? RunId { get; init; }

    public required IReadOnlyList<PartRecord> Parts { get; init; }
}
