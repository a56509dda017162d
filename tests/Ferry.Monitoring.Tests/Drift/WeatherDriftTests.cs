using Ferry.Monitoring.Drift;
using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Tests.Drift;

/// <summary>
/// Drift of the seattle-weather inputs through the real log: reference 2012–2013 read from a CSV file, current rows
/// written as a model's predictions, sketched back from the segments.
/// </summary>
public sealed class WeatherDriftTests : IDisposable
{
    private static readonly string[] Features = ["precipitation", "temp_max", "temp_min", "wind", "weather"];

    private readonly LogHarness _log = new();

    [Fact]
    public async Task Replay_OfTheReferenceYears_ReportsNoDrift()
    {
        var report = await DriftOfAsync(Weather.Years(2012, 2013), Weather.Years(2012, 2013));

        Assert.Equal(Features.Order(StringComparer.Ordinal), report.Features.Select(f => f.Feature));
        Assert.All(report.Features, f => Assert.False(f.Result.Drifted, $"{f.Feature}: {f.Result}"));
        Assert.False(report.DatasetDrift);
        Assert.Equal(731, report.CurrentRows);
    }

    [Fact]
    public async Task SmallReference_UsesKsForNumbersAndChiSquareForCategories()
    {
        var report = await DriftOfAsync(Weather.Years(2012, 2013), Weather.Years(2012, 2013));

        Assert.Equal("chisquare", report.Features.Single(f => f.Feature == "weather").Result.Test);
        Assert.All(report.Features.Where(f => f.Kind == FeatureKind.Numeric), f => Assert.Equal("ks", f.Result.Test));
    }

    [Fact]
    public async Task TempMaxShiftedByEight_DriftsOnTempMaxOnly()
    {
        var shifted = Weather.Years(2012, 2013).Select(w => w with { TempMax = w.TempMax + 8 }).ToArray();

        var report = await DriftOfAsync(Weather.Years(2012, 2013), shifted);

        Assert.Equal(["temp_max"], report.Features.Where(f => f.Result.Drifted).Select(f => f.Feature));
        Assert.Equal(0.2, report.DriftedShare, 9);
        Assert.False(report.DatasetDrift);
    }

    [Fact]
    public async Task LargeReference_UsesWassersteinAndJensenShannon_AndFindsTheShift()
    {
        var reference = Weather.Years(2012, 2014);
        var shifted = reference.Select(w => w with { TempMax = w.TempMax + 8, Wind = w.Wind * 2 }).ToArray();

        var same = await DriftOfAsync(reference, reference);
        var moved = await DriftOfAsync(reference, shifted, at: 2);

        Assert.Equal("jensenshannon", same.Features.Single(f => f.Feature == "weather").Result.Test);
        Assert.All(same.Features.Where(f => f.Kind == FeatureKind.Numeric), f => Assert.Equal("wasserstein", f.Result.Test));
        Assert.DoesNotContain(same.Features, f => f.Result.Drifted);
        Assert.Equal(["temp_max", "wind"], moved.Features.Where(f => f.Result.Drifted).Select(f => f.Feature));
    }

    [Fact]
    public async Task NamedTest_IsUsedForEveryFeature()
    {
        var report = await DriftOfAsync(Weather.Years(2012, 2013), Weather.Years(2014, 2014), test: "psi");

        Assert.All(report.Features, f => Assert.Equal("psi", f.Result.Test));
    }

    public void Dispose() => _log.Dispose();

    private async Task<DriftReport> DriftOfAsync(IReadOnlyList<Weather> reference, IReadOnlyList<Weather> current, int at = 1, string? test = null)
    {
        var csv = Weather.WriteCsv(reference, Path.Combine(_log.Root, $"reference-{at}.csv"));
        var profile = await ReferenceProfileBuilder.FromFileAsync(csv, CancellationToken.None);
        // Each call logs its rows in its own hour, so one harness can hold several currents.
        var hour = _log.Time.GetUtcNow().AddHours(at);
        await _log.WriteAsync(Weather.AsPredictions(current, hour), seal: true);
        var service = new DriftService(_log.Reader, [new KolmogorovSmirnovTest(), new WassersteinTest(), new JensenShannonTest(), new ChiSquareTest(), new PsiTest()]);
        return await service.DetectAsync(profile, new LogRange("weather", null, hour, hour.AddHours(1)), test, null, DriftDetector.DefaultDatasetDriftShare, CancellationToken.None);
    }
}
