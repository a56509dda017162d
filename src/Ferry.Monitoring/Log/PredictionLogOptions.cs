namespace Ferry.Monitoring.Log;

/// <summary>Settings of the prediction log (section <c>Ferry:PredictionLog</c>).</summary>
public sealed class PredictionLogOptions
{
    /// <summary>Folder of the segments, one sub-folder per model and version. Default: <c>HOME/predictions</c>.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Share of requests logged, 0 to 1, for models without their own rate. Default 1 (every request).</summary>
    public double SampleRate { get; set; } = 1.0;

    /// <summary>Per-model share of requests logged, overriding <see cref="SampleRate"/>.</summary>
    public Dictionary<string, double> ModelSampleRates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Requests held between the data plane and the writer; beyond it new ones are dropped and counted. Default 10 000.</summary>
    public int ChannelCapacity { get; set; } = 10_000;

    /// <summary>How often buffered rows are appended to the open segments and fsynced; the most a kill -9 loses. Default 5 s.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A segment is sealed when it passes this size. Default 64 MiB.</summary>
    public long MaxSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A segment is sealed when it is this old, which bounds its row groups (each flush adds one). Default 15 min.</summary>
    public TimeSpan MaxSegmentAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sealed segments whose newest row is older than this are deleted. Default 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A tensor with more elements than this per row (an image) is not logged element by element; only its shape
    /// is. Default 64.
    /// </summary>
    public int MaxElementsPerRow { get; set; } = 64;

    public double RateFor(string model) => ModelSampleRates.TryGetValue(model, out var rate) ? rate : SampleRate;
}
