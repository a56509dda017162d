using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Ferry.Monitoring.Log;
using Ferry.Tests;

namespace Ferry.Monitoring.Tests;

/// <summary>vega's seattle-weather.csv (2012–2015, one row a day) as rows, and as logged predictions of a "weather" model.</summary>
public sealed record Weather(string Date, double Precipitation, double TempMax, double TempMin, double Wind, string Kind)
{
    public const string Header = "date,precipitation,temp_max,temp_min,wind,weather";

    public static IReadOnlyList<Weather> All { get; } = Load();

    public static IReadOnlyList<Weather> Years(int first, int last) =>
        All.Where(w => int.Parse(w.Date[..4], CultureInfo.InvariantCulture) is var y && y >= first && y <= last).ToArray();

    /// <summary>Writes rows as a CSV in the file's own format, for a reference read from a path.</summary>
    public static string WriteCsv(IEnumerable<Weather> rows, string path)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var w in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{w.Date},{w.Precipitation:R},{w.TempMax:R},{w.TempMin:R},{w.Wind:R},{w.Kind}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The rows as requests of a batching model, <paramref name="perRequest"/> rows each, inputs [n,1].</summary>
    public static IEnumerable<CapturedPrediction> AsPredictions(IReadOnlyList<Weather> rows, DateTimeOffset at, int perRequest = 50)
    {
        for (var start = 0; start < rows.Count; start += perRequest)
        {
            var batch = rows.Skip(start).Take(perRequest).ToArray();
            var shape = new long[] { batch.Length, 1 };
            CapturedTensor Numbers(string name, Func<Weather, double> pick) =>
                new(name, DataType.Fp64, shape, MemoryMarshal.AsBytes(batch.Select(pick).ToArray().AsSpan()).ToArray(), null);
            yield return new CapturedPrediction(
                $"req-{start}",
                at,
                "weather",
                "1",
                true,
                [
                    Numbers("precipitation", w => w.Precipitation), Numbers("temp_max", w => w.TempMax), Numbers("temp_min", w => w.TempMin),
                    Numbers("wind", w => w.Wind), new CapturedTensor("weather", DataType.Bytes, shape, [], batch.Select(w => w.Kind).ToArray()),
                ],
                [],
                1.0,
                "ok");
        }
    }

    private static Weather[] Load() =>
        File.ReadLines(TestAssets.SeattleWeather).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split(',');
            double N(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            return new Weather(f[0], N(1), N(2), N(3), N(4), f[5]);
        }).ToArray();
}
