namespace Ferry.Server.Batch;

/// <summary>Limits of the server's batch jobs, bound from <c>Ferry:Batch</c>.</summary>
public sealed class BatchJobsOptions
{
    public const string Section = "Ferry:Batch";

    /// <summary>The only folder jobs may read and write; paths in requests are relative to it. Default <c>&lt;home&gt;/data</c>.</summary>
    public string DataRoot { get; set; } = "";

    /// <summary>Jobs running at once; default 1, since each one already uses every core.</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>Jobs waiting to run; a submit beyond it is refused with 429. Default 16.</summary>
    public int QueueLimit { get; set; } = 16;
}
