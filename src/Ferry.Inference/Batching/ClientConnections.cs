namespace Ferry.Inference.Batching;

/// <summary>
/// How many client connections the server has open, as its transport counts them: a hint of how many requests can
/// be in flight at once, which sizes how many queued requests make a batch worth running at once
/// (<see cref="ModelScheduler"/>). One figure for the process; nothing depends on it for correctness.
/// </summary>
public static class ClientConnections
{
    private static int _open;

    public static int Open => Volatile.Read(ref _open);

    public static void Opened() => Interlocked.Increment(ref _open);

    public static void Closed() => Interlocked.Decrement(ref _open);
}
