using System.Globalization;
using Ferry.Batch.Checkpoint;

namespace Ferry.Batch.Tests;

public sealed class ResumeTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData(".parquet")]
    [InlineData(".csv")]
    [InlineData(".jsonl")]
    public async Task Run_InterruptedFiveTimes_ResumesToByteIdenticalOutput(string outExt)
    {
        var input = _ws.PathOf("in.parquet");
        TestData.Write(input, TestData.Rows(2000), rowGroup: 100);
        var clean = _ws.PathOf("clean" + outExt);
        await _ws.Runner().RunAsync(Spec(input, clean), null, CancellationToken.None);

        var resumed = _ws.PathOf("resumed" + outExt);
        var interruptions = 0;
        foreach (var k in new[] { 1, 3, 6, 10, 15 })
        {
            var crash = new CancelAfterParts(k);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _ws.Runner(crash).RunAsync(Spec(input, resumed), null, crash.Cancellation.Token));
            Assert.False(File.Exists(resumed), "an interrupted run must not leave an output that looks complete");
            interruptions++;
        }

        var summary = await _ws.Runner().RunAsync(Spec(input, resumed), null, CancellationToken.None);

        Assert.Equal(5, interruptions);
        Assert.True(summary.PartsResumed >= 15);
        Assert.Equal(2000, summary.RowsOut);
        Assert.Equal(await File.ReadAllBytesAsync(clean), await File.ReadAllBytesAsync(resumed));
    }

    [Fact]
    public async Task Run_WithChangedInput_RefusesUntilRestart()
    {
        var input = _ws.PathOf("in.csv");
        TestData.Write(input, TestData.Rows(500));
        var output = _ws.PathOf("out.csv");
        var crash = new CancelAfterParts(1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _ws.Runner(crash).RunAsync(Spec(input, output), null, crash.Cancellation.Token));

        TestData.Write(input, TestData.Rows(500, seed: 8));
        var refused = await Assert.ThrowsAsync<BatchUsageException>(() => _ws.Runner().RunAsync(Spec(input, output), null, CancellationToken.None));
        var restarted = await _ws.Runner().RunAsync(Spec(input, output) with { Restart = true }, null, CancellationToken.None);

        Assert.Contains("the input files", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--restart", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, restarted.PartsResumed);
        Assert.Equal(500, restarted.RowsOut);
    }

    [Fact]
    public async Task Run_FourShards_TogetherEqualTheSingleRunRowForRow()
    {
        var folder = Directory.CreateDirectory(_ws.PathOf("in")).FullName;
        var rows = TestData.Rows(3000);
        TestData.Write(Path.Combine(folder, "1.parquet"), rows[..1700], rowGroup: 170);
        TestData.Write(Path.Combine(folder, "2.csv"), rows[1700..]);
        var single = _ws.PathOf("single.csv");
        await _ws.Runner().RunAsync(Spec(folder, single), null, CancellationToken.None);

        var sharded = new List<Dictionary<string, string?>>();
        for (var i = 0; i < 4; i++)
        {
            var summary = await _ws.Runner().RunAsync(Spec(folder, single) with { Shard = new ShardSpec(i, 4) }, null, CancellationToken.None);
            Assert.True(summary.RowsOut > 0, $"shard {i} got no rows");
            sharded.AddRange(await OutputTable.ReadAsync(summary.Output));
        }

        var expected = await OutputTable.ReadAsync(single);
        var byId = sharded.OrderBy(r => int.Parse(r["id"]!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected.Count, byId.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], byId[i]);
        }
    }

    private static BatchJobSpec Spec(string input, string output) =>
        new() { Model = "adder", Input = input, Output = output, Keep = ["id"], ChunkRows = 100, Parallelism = 2 };
}
