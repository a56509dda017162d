using Ferry.Inference;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Log;

/// <summary>
/// The data plane's side of the prediction log: samples, copies the tensors into one pooled buffer and offers the
/// capture (a value, not an object) to the bounded channel. It never waits: when the channel is full the request is
/// counted as dropped, before anything is copied.
/// </summary>
public sealed class PredictionTap : IPredictionTap
{
    private readonly PredictionChannel _channel;
    private readonly PredictionLogOptions _options;
    private readonly PredictionLogStats _stats;
    private readonly TimeProvider _time;

    public PredictionTap(PredictionChannel channel, IOptions<PredictionLogOptions> options, PredictionLogStats stats, TimeProvider time)
    {
        _channel = channel;
        _options = options.Value;
        _stats = stats;
        _time = time;
    }

    public bool Wants(string model)
    {
        var rate = _options.RateFor(model);
        return rate >= 1 || (rate > 0 && Random.Shared.NextDouble() < rate);
    }

    public void Observe(PredictionEvent prediction)
    {
        var writer = _channel.Channel.Writer;
        if (_channel.Channel.Reader.Count >= _channel.Capacity)
        {
            _stats.AddDropped();
            return;
        }

        var buffer = CaptureLayout.Encode(_channel, prediction.Inputs, prediction.Outputs, prediction.Batched, out var length);
        var captured = new PredictionCapture(
            prediction.RequestId,
            prediction.MadeUpId,
            _time.GetUtcNow().ToUnixTimeMilliseconds(),
            prediction.Model,
            prediction.Version,
            prediction.Batched,
            prediction.Latency.TotalMilliseconds,
            prediction.Status,
            buffer,
            length);
        if (writer.TryWrite(captured))
        {
            _stats.AddCaptured();
        }
        else
        {
            _channel.Return(buffer);
            _stats.AddDropped();
        }
    }
}
