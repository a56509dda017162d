using Ferry.Monitoring.Drift;
using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Tests.Drift;

public sealed class SketchMergeTests : IDisposable
{
    private readonly LogHarness _log = new();

    [Fact]
    public async Task SketchesOfTwoWindows_Merged_EqualTheSketchOfBoth()
    {
        var reference = ReferenceProfileBuilder.FromValues("test", new Dictionary<string, IReadOnlyList<object?>>
        {
            ["temp_max"] = Weather.Years(2012, 2013).Select(w => (object?)w.TempMax).ToArray(),
            ["weather"] = Weather.Years(2012, 2013).Select(w => (object?)w.Kind).ToArray(),
        });
        var start = _log.Time.GetUtcNow();
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2014, 2014), start), seal: false);
        await _log.WriteAsync(Weather.AsPredictions(Weather.Years(2015, 2015), start.AddHours(1)), seal: true);

        var first = await SketchAsync(reference, start, start.AddHours(1));
        var second = await SketchAsync(reference, start.AddHours(1), start.AddHours(2));
        var both = await SketchAsync(reference, start, start.AddHours(2));
        first.Merge(second);

        var merged = (NumericSketch)first.Sketches["temp_max"];
        var whole = (NumericSketch)both.Sketches["temp_max"];
        Assert.Equal(whole.Counts, merged.Counts);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        Assert.Equal(((CategoricalSketch)both.Sketches["weather"]).Counts.OrderBy(kv => kv.Key), ((CategoricalSketch)first.Sketches["weather"]).Counts.OrderBy(kv => kv.Key));
        Assert.Equal(365 + 365, first.Rows);
    }

    public void Dispose() => _log.Dispose();

    private async Task<SketchSet> SketchAsync(ReferenceProfile reference, DateTimeOffset from, DateTimeOffset to)
    {
        var set = new SketchSet(reference);
        var range = new LogRange("weather", null, from, to);
        await foreach (var chunk in _log.Reader.ReadAsync(range, CancellationToken.None))
        {
            set.Add(chunk, range.FromMs, range.ToMs);
        }

        return set;
    }
}
