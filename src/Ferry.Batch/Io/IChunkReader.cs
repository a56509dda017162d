namespace Ferry.Batch.Io;

/// <summary>Reads one input file as a sequence of chunks, in order, holding one chunk at a time.</summary>
public interface IChunkReader : IAsyncDisposable
{
    /// <summary>
    /// The next chunk, or null at the end. <paramref name="load"/> false skips the chunk cheaply (another shard's
    /// or one already checkpointed) and returns it without columns.
    /// </summary>
    ValueTask<DataChunk?> ReadAsync(bool load, CancellationToken cancellationToken);
}
