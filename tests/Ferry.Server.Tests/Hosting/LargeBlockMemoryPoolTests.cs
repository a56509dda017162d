using Ferry.Server.Hosting;

namespace Ferry.Server.Tests.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_GivesABlockOfBlockSize_AndAReturnedBlockIsRentedAgain()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent(1);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, first.Memory.Length);
        var memory = first.Memory;
        first.Dispose();

        using var second = pool.Rent();
        Assert.True(memory.Span == second.Memory.Span, "the returned block was not reused");
    }

    [Fact]
    public void Rent_MoreThanABlock_IsRefused()
    {
        using var pool = new LargeBlockMemoryPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void Return_BeyondTheRetainedCount_LeavesTheRestToTheGc()
    {
        using var pool = new LargeBlockMemoryPool();
        var rented = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetainedBlocks + 10).Select(_ => pool.Rent()).ToList();
        foreach (var block in rented)
        {
            block.Dispose();
        }

        // Renting as many again reuses exactly the retained ones; the rest are new.
        var again = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetainedBlocks + 10).Select(_ => pool.Rent()).ToList();
        var reused = again.Count(b => rented.Any(r => r.Memory.Span == b.Memory.Span));
        Assert.Equal(LargeBlockMemoryPool.MaxRetainedBlocks, reused);
    }
}
