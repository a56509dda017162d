using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Log;

/// <summary>
/// The bounded queue between the tap (many writers, the data plane) and the log writer (one reader), and the pool
/// of the captures' buffers. A buffer is rented by whoever puts a capture on the channel and returned by whoever
/// takes it off (or by the putter, when the channel refuses it); <see cref="BuffersOut"/> counts those in between.
/// </summary>
/// <remarks>
/// The pool is the channel's own rather than <see cref="ArrayPool{T}.Shared"/>: buffers are rented on request
/// threads and returned in bursts of thousands by the writer, more than the shared pool keeps per size, so most
/// rents would allocate a new array that then lives ~100 ms in the channel and gets promoted. This pool keeps up to
/// a channel's worth of buffers per size.
/// </remarks>
public sealed class PredictionChannel
{
    /// <summary>Captures larger than this are allocated and dropped rather than pooled (a batch of many rows).</summary>
    private const int MaxPooledBytes = 1 << 20;

    private readonly ArrayPool<byte> _pool;
    private long _buffersOut;

    public PredictionChannel(IOptions<PredictionLogOptions> options)
    {
        Capacity = options.Value.ChannelCapacity;
        MaxElementsPerRow = options.Value.MaxElementsPerRow;
        _pool = ArrayPool<byte>.Create(MaxPooledBytes, Math.Clamp(Capacity, 16, 16_384));
        // DropWrite: a full channel refuses the new item at once (TryWrite returns false) so the caller never waits.
        Channel = System.Threading.Channels.Channel.CreateBounded<PredictionCapture>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    public int Capacity { get; }

    /// <summary>Tensors with more elements per row than this are captured by shape only.</summary>
    public int MaxElementsPerRow { get; }

    public Channel<PredictionCapture> Channel { get; }

    /// <summary>Capture buffers rented and not yet returned: those on the channel plus any being written or read.</summary>
    public long BuffersOut => Interlocked.Read(ref _buffersOut);

    /// <summary>
    /// Copies a prediction held as plain objects into a pooled capture and offers it to the channel (tests and tools
    /// feed the log this way); false, with the buffer returned, when the channel is full.
    /// </summary>
    public bool TryWrite(CapturedPrediction prediction)
    {
        var buffer = CaptureLayout.Encode(this, prediction.Inputs, prediction.Outputs, prediction.Batched, out var length);
        var capture = new PredictionCapture(
            prediction.RequestId,
            Guid.Empty,
            prediction.Timestamp.ToUnixTimeMilliseconds(),
            prediction.Model,
            prediction.Version,
            prediction.Batched,
            prediction.LatencyMs,
            prediction.Status,
            buffer,
            length);
        if (Channel.Writer.TryWrite(capture))
        {
            return true;
        }

        Return(buffer);
        return false;
    }

    /// <summary>A buffer of at least <paramref name="length"/> bytes for one capture; give it back with <see cref="Return"/>.</summary>
    public byte[] Rent(int length)
    {
        var buffer = _pool.Rent(length);
        Interlocked.Increment(ref _buffersOut);
        return buffer;
    }

    public void Return(byte[] buffer)
    {
        Interlocked.Decrement(ref _buffersOut);
        // Not cleared: the next capture overwrites every byte it reads back.
        _pool.Return(buffer);
    }
}
