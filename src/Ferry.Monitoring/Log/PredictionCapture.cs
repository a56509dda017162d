using System.Runtime.InteropServices;

namespace Ferry.Monitoring.Log;

/// <summary>
/// One request on its way from the tap to the writer, as a value: the channel holds it without an object per item.
/// Its tensors live in <see cref="Buffer"/>, rented from the <see cref="PredictionChannel"/>'s pool (see
/// <see cref="CaptureLayout"/> for the byte layout); whoever takes the capture off the channel returns the buffer
/// (<see cref="PredictionChannel.Return"/>), and whoever fails to put it on returns it at once.
/// </summary>
/// <remarks>
/// Nothing here is allocated per request: the model, version and status strings are shared, the request id is the
/// client's own string or a <see cref="Guid"/> value formatted only when the writer needs it. A per-request object
/// that waits ~100 ms in the channel survives gen0 at 20k requests/s, which is what made logging cost up to a third
/// of the throughput (issue #6).
/// </remarks>
public readonly record struct PredictionCapture(
    string? RequestId,
    Guid MadeUpId,
    long TimestampMs,
    string Model,
    string Version,
    bool Batched,
    double LatencyMs,
    string Status,
    byte[] Buffer,
    int Length)
{
    public int InputCount => MemoryMarshal.Read<int>(Buffer);

    public int OutputCount => MemoryMarshal.Read<int>(Buffer.AsSpan(4));

    public CapturedTensorView Input(int index) => CaptureLayout.Tensor(Buffer, index);

    public CapturedTensorView Output(int index) => CaptureLayout.Tensor(Buffer, InputCount + index);

    public CapturedTensorView Tensor(bool output, int index) => output ? Output(index) : Input(index);

    /// <summary>The request id as UTF-8 (the client's, or the made-up <see cref="Guid"/> in its 32-digit form).</summary>
    public int WriteRequestId(Span<byte> destination)
    {
        if (RequestId is null)
        {
            MadeUpId.TryFormat(destination, out var written, "N");
            return written;
        }

        return System.Text.Encoding.UTF8.GetBytes(RequestId, destination);
    }

    /// <summary>Bytes <see cref="WriteRequestId"/> needs at most.</summary>
    public int RequestIdMaxBytes => RequestId is null ? 32 : System.Text.Encoding.UTF8.GetMaxByteCount(RequestId.Length);

    /// <summary>Rows of the request: the batch dimension of its first input when the model batches, else 1.</summary>
    public int Rows
    {
        get
        {
            if (!Batched || InputCount == 0)
            {
                return 1;
            }

            var shape = Input(0).Shape;
            return shape.Length > 0 ? (int)Math.Max(shape[0], 0) : 1;
        }
    }
}
