namespace Ferry.Batch;

/// <summary>The job was asked for something it cannot do (bad option, missing file, changed input); exit code 2.</summary>
public sealed class BatchUsageException : Exception
{
    public BatchUsageException(string message)
        : base(message)
    {
    }
}
