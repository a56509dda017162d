using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Tests;

namespace Ferry.Tracking.Tests.Datasets;

/// <summary>Registering vega's seattle-weather.csv through the server; profile values are checked against the file itself.</summary>
[Collection(TrackingServerCollection.Name)]
public sealed class DatasetApiTests(TrackingServerFixture server)
{
    [Fact]
    public async Task Register_SeattleWeather_ProfilesEveryColumnAndReRegisterReturnsTheSameVersion()
    {
        var name = "weather-" + Guid.NewGuid().ToString("N")[..8];
        var data = Path.Combine(server.Home, "data", name);
        Directory.CreateDirectory(data);
        File.Copy(TestAssets.SeattleWeather, Path.Combine(data, "seattle-weather.csv"));

        using var first = await server.Http.PostAsJsonAsync("/api/v1/datasets", new { name, path = name });
        var registered = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        using var again = await server.Http.PostAsJsonAsync("/api/v1/datasets", new { name, path = name });
        var repeated = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        var fetched = JsonNode.Parse(await server.Http.GetStringAsync($"/api/v1/datasets/{name}/versions/1"))!;

        var table = Table.Read(TestAssets.SeattleWeather);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((bool)repeated["created"]!);
        Assert.Equal(1L, (long)repeated["version"]!);
        Assert.Equal((string)registered["id"]!, (string)repeated["id"]!);
        Assert.Equal(ManifestDigest(TestAssets.SeattleWeather), (string)fetched["digest"]!);
        Assert.Equal(table.Rows.Count, (long)fetched["row_count"]!);
        Assert.Equal(new FileInfo(TestAssets.SeattleWeather).Length, (long)fetched["size_bytes"]!);

        var columns = fetched["profile"]!["columns"]!.AsArray();
        Assert.Equal(table.Header, columns.Select(c => (string)c!["name"]!));
        Assert.Equal(["string", "double", "double", "double", "double", "string"], columns.Select(c => (string)c!["type"]!));
        foreach (var numeric in new[] { "precipitation", "temp_max", "temp_min", "wind" })
        {
            AssertNumeric(table.Numbers(numeric), columns.Single(c => (string)c!["name"]! == numeric)!);
        }

        var weather = columns.Single(c => (string)c!["name"]! == "weather")!;
        var expectedTop = table.Texts("weather").GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();
        Assert.Equal(expectedTop.Key, (string)weather["top"]![0]!["value"]!);
        Assert.Equal(expectedTop.Count(), (long)weather["top"]![0]!["count"]!);
        Assert.Equal(table.Texts("weather").Distinct().Count(), (long)weather["distinct"]!);
    }

    [Fact]
    public async Task Register_PathOutsideTheDataFolder_Is400AndUnknownVersionIs404()
    {
        using var outside = await server.Http.PostAsJsonAsync("/api/v1/datasets", new { name = "x", path = "../../etc" });
        using var missing = await server.Http.GetAsync("/api/v1/datasets/no-such-dataset/versions/1");

        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static void AssertNumeric(double[] values, JsonNode profile)
    {
        var n = values.Length;
        var mean = values.Sum() / n;

        // Computed another way than the server does (sum of squares), so a shared mistake would not cancel out.
        var std = Math.Sqrt((values.Sum(v => v * v) - (n * mean * mean)) / (n - 1));
        var sorted = values.Order().ToArray();
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        var min = sorted[0];
        var max = sorted[^1];
        var firstBin = values.Count(v => v < min + ((max - min) / 10));

        Assert.Equal(n, (long)profile["count"]!);
        Assert.Equal(0L, (long)profile["missing"]!);
        Assert.Equal(min, (double)profile["min"]!);
        Assert.Equal(max, (double)profile["max"]!);
        Assert.Equal(mean, (double)profile["mean"]!, 9);
        Assert.Equal(std, (double)profile["std"]!, 6);
        Assert.Equal(median, (double)profile["quantiles"]!["0.5"]!, 9);
        var counts = profile["histogram"]!["counts"]!.AsArray().Select(c => (long)c!).ToArray();
        Assert.Equal(10, counts.Length);
        Assert.Equal(n, counts.Sum());
        Assert.Equal(firstBin, counts[0]);
    }

    private static string ManifestDigest(string file)
    {
        var fileHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        var manifest = $"{Path.GetFileName(file)}\t{fileHash}\n";
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));
    }

    /// <summary>The CSV read naively: the file has no quoted fields, so a split on commas is exact.</summary>
    private sealed record Table(string[] Header, List<string[]> Rows)
    {
        public static Table Read(string path)
        {
            var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
            return new Table(lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList());
        }

        public double[] Numbers(string column) =>
            Texts(column).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();

        public IEnumerable<string> Texts(string column)
        {
            var index = Array.IndexOf(Header, column);
            return Rows.Select(r => r[index]);
        }
    }
}
