using System.Buffers.Binary;
using System.Text;
using Ferry.Inference;
using Ferry.Inference.Tensors;
using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Tests.Log;

/// <summary>
/// The tap's pooled capture (issue #6: logging allocates nothing per request that outlives it): what goes in comes
/// out of the segments unchanged, and every rented buffer goes back to the pool whatever happens to the capture.
/// </summary>
public sealed class PredictionTapTests : IDisposable
{
    private readonly List<InferTensor> _tensors = [];
    private LogHarness _log = new();

    [Fact]
    public async Task Fp16BytesAndInt64_RoundTripThroughTheCapture_AndEveryBufferIsReturned()
    {
        var tap = Tap();
        var features = Tensor("features", DataType.Fp16, [2, 3], b =>
        {
            Half[] values = [(Half)1.5, (Half)(-2.25), (Half)0.125, (Half)1024, (Half)(-0.5), (Half)3];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteHalfLittleEndian(b[(i * 2)..], values[i]);
            }
        });
        var words = InferTensor.FromStrings("word", [2, 1], [Encoding.UTF8.GetBytes("café"), Encoding.UTF8.GetBytes("")]);
        _tensors.Add(words);
        var image = Tensor("image", DataType.Fp32, [2, 100], b => b.Fill(7));
        var label = Tensor("label", DataType.Int64, [2, 1], b =>
        {
            BinaryPrimitives.WriteInt64LittleEndian(b, 42);
            BinaryPrimitives.WriteInt64LittleEndian(b[8..], -7);
        });

        tap.Observe(new PredictionEvent("client-1", Guid.Empty, "m", "1", true, [features, words, image], [label], TimeSpan.FromMilliseconds(2.5), "ok"));
        Assert.Equal(1, _log.Channel.BuffersOut);
        await _log.Writer.FlushAsync(seal: true, CancellationToken.None);

        Assert.Equal(0, _log.Channel.BuffersOut);
        var chunk = await SingleChunkAsync("m");
        Assert.Equal(["client-1", "client-1"], chunk.RequestIds);
        Assert.Equal([0, 1], chunk.Rows);
        Assert.Equal([2.5, 2.5], chunk.LatenciesMs);
        Assert.Equal([1.5, 1024], (double[])chunk.Columns["in.features[0]"]);
        Assert.Equal([-2.25, -0.5], (double[])chunk.Columns["in.features[1]"]);
        Assert.Equal([0.125, 3], (double[])chunk.Columns["in.features[2]"]);
        Assert.Equal(new string?[] { "café", "" }, (string?[])chunk.Columns["in.word"]);
        // 100 elements a row is past MaxElementsPerRow (64): the shape is logged, the pixels are not even copied.
        Assert.Equal(new string?[] { "[2,100]", "[2,100]" }, (string?[])chunk.Columns["in.image.shape"]);
        Assert.Equal([42.0, -7.0], (double[])chunk.Columns["out.label"]);
    }

    [Fact]
    public async Task ClientRequestId_AndMadeUpId_AreBothLogged()
    {
        var tap = Tap();
        var madeUp = Guid.NewGuid();
        tap.Observe(Event("from-the-client", Guid.Empty));
        tap.Observe(Event(null, madeUp));
        await _log.Writer.FlushAsync(seal: true, CancellationToken.None);

        var chunk = await SingleChunkAsync("m");
        Assert.Equal(["from-the-client", madeUp.ToString("N")], chunk.RequestIds);
    }

    [Fact]
    public void FullChannel_DropsBeforeCopying_AndARefusedCaptureReturnsItsBuffer()
    {
        _log.Dispose();
        _log = new LogHarness(o => o.ChannelCapacity = 1);
        var tap = Tap();

        tap.Observe(Event("kept", Guid.Empty));
        tap.Observe(Event("full", Guid.Empty));
        Assert.Equal(1, _log.Stats.Captured);
        Assert.Equal(1, _log.Stats.Dropped);
        Assert.Equal(1, _log.Channel.BuffersOut);

        // A completed channel (the writer has stopped) refuses the capture after it is made: its buffer goes back.
        Assert.True(_log.Channel.Channel.Reader.TryRead(out var kept));
        _log.Channel.Return(kept.Buffer);
        _log.Channel.Channel.Writer.TryComplete();
        tap.Observe(Event("late", Guid.Empty));
        Assert.Equal(2, _log.Stats.Dropped);
        Assert.Equal(0, _log.Channel.BuffersOut);
    }

    [Fact]
    public async Task FailedWrite_LosesTheRows_ButReturnsEveryBuffer()
    {
        _log.Dispose();
        var blocker = Path.Combine(Path.GetTempPath(), "ferry-log-blocker-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(blocker, "a file where the log folder should be");
        try
        {
            _log = new LogHarness(o => o.Directory = Path.Combine(blocker, "predictions"));
            var tap = Tap();
            for (var i = 0; i < 5; i++)
            {
                tap.Observe(Event($"r{i}", Guid.Empty));
            }

            Assert.Equal(5, _log.Channel.BuffersOut);
            await _log.Writer.FlushAsync(seal: true, CancellationToken.None);

            Assert.Equal(1, _log.Stats.WriteFailures);
            Assert.Equal(0, _log.Stats.RowsWritten);
            Assert.Equal(0, _log.Channel.BuffersOut);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public async Task AChannelfulOfCaptures_ReusesTheBuffersOfTheLastOne()
    {
        // The shared ArrayPool keeps a few dozen arrays per size; a writer returns thousands at once, so the rest
        // would be dropped and the next captures allocated afresh (and promoted while they wait). The channel's pool
        // keeps them all.
        var tap = Tap();
        var first = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        var second = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        foreach (var seen in new[] { first, second })
        {
            for (var i = 0; i < 500; i++)
            {
                tap.Observe(Event($"r{i}", Guid.Empty));
            }

            // Look at every capture on the channel, putting each back behind the others.
            for (var i = 0; i < 500; i++)
            {
                Assert.True(_log.Channel.Channel.Reader.TryRead(out var capture));
                seen.Add(capture.Buffer);
                Assert.True(_log.Channel.Channel.Writer.TryWrite(capture));
            }

            await _log.Writer.FlushAsync(seal: false, CancellationToken.None);
            Assert.Equal(0, _log.Channel.BuffersOut);
        }

        Assert.Equal(500, first.Count);
        Assert.Subset(first, second);
        Assert.Equal(1000, _log.Stats.Captured);
    }

    [Fact]
    public async Task ACaptureLargerThanThePoolsArrays_IsLoggedAndLetGo()
    {
        // 3,000 rows x 64 doubles: 1.5 MB of kept data, past the pool's largest array (1 MB).
        var values = Enumerable.Range(0, 3000 * 64).Select(i => (double)i).ToArray();
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        var wide = new CapturedTensor("wide", DataType.Fp64, [3000, 64], bytes, null);

        await _log.WriteAsync([new CapturedPrediction("big", _log.Time.GetUtcNow(), "m", "1", true, [wide], [], 1, "ok")], seal: true);

        Assert.Equal(0, _log.Channel.BuffersOut);
        var chunk = await SingleChunkAsync("m");
        Assert.Equal(3000, chunk.RowCount);
        Assert.Equal(64.0 * 2999, ((double[])chunk.Columns["in.wide[0]"])[2999]);
        Assert.Equal((64.0 * 2999) + 63, ((double[])chunk.Columns["in.wide[63]"])[2999]);
    }

    public void Dispose()
    {
        foreach (var t in _tensors)
        {
            t.Dispose();
        }

        _log.Dispose();
    }

    private PredictionTap Tap() => new(_log.Channel, _log.Options, _log.Stats, _log.Time);

    private PredictionEvent Event(string? id, Guid madeUp)
    {
        var x = Tensor("x", DataType.Fp32, [1, 1], b => BinaryPrimitives.WriteSingleLittleEndian(b, 0.5f));
        return new PredictionEvent(id, madeUp, "m", "1", true, [x], [], TimeSpan.FromMilliseconds(1), "ok");
    }

    private InferTensor Tensor(string name, DataType dataType, long[] shape, SpanAction fill)
    {
        var tensor = InferTensor.AllocateUninitialized(name, dataType, shape);
        fill(tensor.Bytes);
        _tensors.Add(tensor);
        return tensor;
    }

    private async Task<LogChunk> SingleChunkAsync(string model)
    {
        var at = _log.Time.GetUtcNow();
        var chunks = new List<LogChunk>();
        await foreach (var chunk in _log.Reader.ReadAsync(new LogRange(model, null, at.AddHours(-1), at.AddHours(1)), CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        return Assert.Single(chunks);
    }

    private delegate void SpanAction(Span<byte> bytes);
}
