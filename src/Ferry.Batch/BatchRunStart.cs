using Ferry.Batch.Io;
using Ferry.Batch.Models;

namespace Ferry.Batch;

/// <summary>What an observer learns when a job starts or resumes.</summary>
public sealed record BatchRunStart
{
    public required BatchJobSpec Spec { get; init; }

    public required ResolvedModel Model { get; init; }

    /// <summary>The input files in the order the job reads them.</summary>
    public required IReadOnlyList<InputFile> Files { get; init; }

    /// <summary>The file this job (or shard) writes.</summary>
    public required string Output { get; init; }

    public required OutputFormat Format { get; init; }

    /// <summary>The run recorded by an earlier attempt of the same job (from the checkpoint), or null for a fresh job.</summary>
    public string? ResumedRunId { get; init; }

    /// <summary>Parts an earlier attempt finished.</summary>
    public int PartsResumed { get; init; }
}
