using Ferry.Monitoring.Log;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Monitoring.Tests;

/// <summary>
/// The prediction log's parts wired together over a temporary folder and a fake clock, without a server: tests put
/// captured predictions on the channel and flush explicitly.
/// </summary>
public sealed class LogHarness : IDisposable
{
    public LogHarness(Action<PredictionLogOptions>? configure = null)
    {
        Root = Directory.CreateTempSubdirectory("ferry-log-").FullName;
        var options = new PredictionLogOptions { Directory = Root };
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        Channel = new PredictionChannel(Options);
        Writer = new PredictionLogWriter(Channel, Options, Stats, Gate, Time, NullLogger<PredictionLogWriter>.Instance);
        Reader = new PredictionLogReader(Options, Gate, NullLogger<PredictionLogReader>.Instance);
    }

    public string Root { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public IOptions<PredictionLogOptions> Options { get; }

    public PredictionChannel Channel { get; }

    public PredictionLogStats Stats { get; } = new();

    public SegmentGate Gate { get; } = new();

    public PredictionLogWriter Writer { get; }

    public PredictionLogReader Reader { get; }

    /// <summary>Puts predictions on the channel and flushes them to open segments (sealing them too when asked).</summary>
    public async Task WriteAsync(IEnumerable<CapturedPrediction> predictions, bool seal)
    {
        foreach (var p in predictions)
        {
            Assert.True(Channel.TryWrite(p), "the harness's channel is full");
        }

        await Writer.FlushAsync(seal, CancellationToken.None);
    }

    public string[] Files(string extension) => Directory.GetFiles(Root, "*" + extension, SearchOption.AllDirectories);

    public void Dispose()
    {
        Writer.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
