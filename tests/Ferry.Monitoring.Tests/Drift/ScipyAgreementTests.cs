using System.Diagnostics;
using System.Text.Json;
using Ferry.Monitoring.Drift;
using Ferry.Tests;

namespace Ferry.Monitoring.Tests.Drift;

/// <summary>
/// The drift statistics agree with scipy to 1e-6 on the same bins: reference 2012–2013, current 2014 with temp_max
/// shifted. Skipped, saying why, only when no python3 with scipy is installed (scripts/test.sh installs it).
/// </summary>
public sealed class ScipyAgreementTests
{
    private const double Tolerance = 1e-6;

    [SkippableFact]
    public void DriftStatistics_AgreeWithScipy()
    {
        var python = ScipyPython.Find();
        Skip.If(python is null, "python3-scipy is not installed (apt-get install -y python3-scipy); scripts/test.sh installs it");

        var reference = Profile(Weather.Years(2012, 2013));
        var current = Weather.Years(2014, 2014).Select(w => w with { TempMax = w.TempMax + 3 }).ToArray();
        var cases = new List<(string Name, FeatureKind Kind, Binned Bins, FeatureProfile Profile, FeatureSketch Sketch)>();
        foreach (var (name, profile) in reference.Features)
        {
            var sketch = profile.NewSketch();
            foreach (var w in current)
            {
                Add(sketch, name, w);
            }

            cases.Add((name, profile.Kind, Binned.Of(profile, sketch), profile, sketch));
        }

        var input = JsonSerializer.Serialize(cases.Select(c => new
        {
            name = c.Name,
            kind = c.Kind == FeatureKind.Numeric ? "numeric" : "categorical",
            points = c.Bins.Points,
            reference = c.Bins.Reference,
            current = c.Bins.Current,
        }));
        var scipy = ScipyPython.Run(python!, Path.Combine(AppContext.BaseDirectory, "scipy_check.py"), input);

        var compared = 0;
        foreach (var result in scipy.RootElement.EnumerateArray())
        {
            var c = cases.Single(x => x.Name == result.GetProperty("name").GetString());
            Assert.Equal(result.GetProperty("jensenshannon").GetDouble(), JensenShannonTest.Distance(c.Bins), Tolerance);
            if (c.Kind == FeatureKind.Numeric)
            {
                var (d, p) = KolmogorovSmirnovTest.Compute(c.Bins);
                Assert.Equal(result.GetProperty("ks_statistic").GetDouble(), d, Tolerance);
                Assert.Equal(result.GetProperty("ks_pvalue_asymptotic").GetDouble(), p, Tolerance);
                Assert.Equal(result.GetProperty("wasserstein").GetDouble(), WassersteinTest.Distance(c.Bins), Tolerance);
                Assert.Equal(result.GetProperty("wasserstein_samples").GetDouble(), WassersteinTest.Distance(c.Bins), Tolerance);
            }
            else
            {
                var (statistic, p) = ChiSquareTest.Compute(c.Bins);
                Assert.Equal(result.GetProperty("chisquare_statistic").GetDouble(), statistic, Tolerance);
                Assert.Equal(result.GetProperty("chisquare_pvalue").GetDouble(), p, Tolerance);
            }

            compared++;
        }

        Assert.Equal(5, compared);
    }

    private static ReferenceProfile Profile(IReadOnlyList<Weather> rows) => ReferenceProfileBuilder.FromValues("2012-2013", new Dictionary<string, IReadOnlyList<object?>>
    {
        ["precipitation"] = rows.Select(w => (object?)w.Precipitation).ToArray(),
        ["temp_max"] = rows.Select(w => (object?)w.TempMax).ToArray(),
        ["temp_min"] = rows.Select(w => (object?)w.TempMin).ToArray(),
        ["wind"] = rows.Select(w => (object?)w.Wind).ToArray(),
        ["weather"] = rows.Select(w => (object?)w.Kind).ToArray(),
    });

    private static void Add(FeatureSketch sketch, string name, Weather w)
    {
        switch (sketch)
        {
            case CategoricalSketch c:
                c.Add(w.Kind);
                break;
            case NumericSketch n:
                n.Add(name switch { "precipitation" => w.Precipitation, "temp_max" => w.TempMax, "temp_min" => w.TempMin, _ => w.Wind });
                break;
        }
    }
}
