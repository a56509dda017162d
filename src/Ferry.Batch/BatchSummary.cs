namespace Ferry.Batch;

/// <summary>How a run ended; counts cover the whole output, including parts done by earlier runs.</summary>
public sealed record BatchSummary
{
    public required string Model { get; init; }

    public required long ModelVersion { get; init; }

    public required string Output { get; init; }

    public required long RowsIn { get; init; }

    public required long RowsOut { get; init; }

    public required long Skipped { get; init; }

    public required long Nulled { get; init; }

    public required int Parts { get; init; }

    /// <summary>Parts found done in the checkpoint and not scored again.</summary>
    public required int PartsResumed { get; init; }

    public required double Seconds { get; init; }

    /// <summary>Rows scored by this run per second.</summary>
    public required double RowsPerSecond { get; init; }

    /// <summary>The tracking run that records the job; null when the job is not tracked.</summary>
    public string? RunId { get; init; }

    /// <summary>The dataset version the output was registered as (<c>NAME:VERSION</c>), with <c>--register-output</c>.</summary>
    public string? OutputDataset { get; init; }
}
