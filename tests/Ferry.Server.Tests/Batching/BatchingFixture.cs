using Ferry.Tests;

namespace Ferry.Server.Tests.Batching;

/// <summary>
/// The same two-input model served with and without dynamic batching, and a slow model behind a small queue.
/// </summary>
public sealed class BatchingFixture : FerryServerFixture, IAsyncLifetime
{
    public const int SlowWidth = 2048;

    Task IAsyncLifetime.InitializeAsync()
    {
        // The server shares this process's thread pool with the other test collections running beside it. A request
        // running the slow model holds its thread; if the pool has no other free thread the next requests are read only
        // after it, one by one, and the queue-full test never sees the queue fill. Enough threads to read them at once.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
        return StartAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void WriteModels(string repository)
    {
        OnnxModelBuilder.AddFloats(width: 3).WriteTo(repository, "plain");
        File.WriteAllText(Path.Combine(repository, "plain", "config.json"), """{"max_batch_size": 16}""");

        OnnxModelBuilder.AddFloats(width: 3).WriteTo(repository, "batched");
        File.WriteAllText(Path.Combine(repository, "batched", "config.json"), """
            {"max_batch_size": 16,
             "dynamic_batching": {"max_queue_delay_microseconds": 3000, "preferred_batch_size": [16]}}
            """);

        // No queue delay: requests queue for the lowest-priority runner (or the thread queueing the eighth runs them).
        OnnxModelBuilder.AddFloats(width: 3).WriteTo(repository, "batched_now");
        File.WriteAllText(Path.Combine(repository, "batched_now", "config.json"), """
            {"max_batch_size": 16, "dynamic_batching": {}}
            """);

        // y = x·W·W·…·W: slow enough on one thread that a burst of requests fills a queue of 2.
        var builder = new OnnxModelBuilder()
            .Input("x", DataType.Fp32, null, SlowWidth)
            .Output("y", DataType.Fp32, null, SlowWidth)
            .Initializer("w", [SlowWidth, SlowWidth], Identityish(SlowWidth));
        var previous = "x";
        for (var i = 0; i < 24; i++)
        {
            var next = i == 23 ? "y" : "h" + i;
            builder.Node("MatMul", [previous, "w"], [next]);
            previous = next;
        }

        builder.WriteTo(repository, "slow");
        File.WriteAllText(Path.Combine(repository, "slow", "config.json"), """
            {"max_batch_size": 1,
             "dynamic_batching": {"default_queue_policy": {"max_queue_size": 2}}}
            """);
    }

    /// <summary>The identity matrix, so the slow model's answer is its input and misrouting would show.</summary>
    private static float[] Identityish(int n)
    {
        var w = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            w[(i * n) + i] = 1;
        }

        return w;
    }
}
