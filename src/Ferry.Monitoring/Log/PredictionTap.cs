using System.Text;
using Ferry.Inference;
using Ferry.Inference.Tensors;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Log;

/// <summary>
/// The data plane's side of the prediction log: samples, copies the tensors and offers the copy to the bounded
/// channel. It never waits: when the channel is full the request is counted as dropped, before anything is copied.
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

        var captured = new CapturedPrediction(
            prediction.RequestId,
            _time.GetUtcNow(),
            prediction.Model,
            prediction.Version,
            prediction.Batched,
            Copy(prediction.Inputs),
            Copy(prediction.Outputs),
            prediction.Latency.TotalMilliseconds,
            prediction.Status);
        if (writer.TryWrite(captured))
        {
            _stats.AddCaptured();
        }
        else
        {
            _stats.AddDropped();
        }
    }

    private static CapturedTensor[] Copy(IReadOnlyList<InferTensor> tensors)
    {
        var copies = new CapturedTensor[tensors.Count];
        for (var i = 0; i < copies.Length; i++)
        {
            var t = tensors[i];
            string[]? strings = null;
            if (t.DataType == DataType.Bytes && t.Strings is { } raw)
            {
                strings = new string[raw.Length];
                for (var j = 0; j < raw.Length; j++)
                {
                    strings[j] = Encoding.UTF8.GetString(raw[j]);
                }
            }

            copies[i] = new CapturedTensor(t.Name, t.DataType, t.Shape, t.Bytes.ToArray(), strings);
        }

        return copies;
    }
}
