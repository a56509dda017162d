using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Log;

/// <summary>The bounded queue between the tap (many writers, the data plane) and the log writer (one reader).</summary>
public sealed class PredictionChannel
{
    public PredictionChannel(IOptions<PredictionLogOptions> options)
    {
        Capacity = options.Value.ChannelCapacity;
        // DropWrite: a full channel refuses the new item at once (TryWrite returns false) so the caller never waits.
        Channel = System.Threading.Channels.Channel.CreateBounded<CapturedPrediction>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    public int Capacity { get; }

    public Channel<CapturedPrediction> Channel { get; }
}
