using System.Globalization;
using System.Text;

namespace Ferry.Server.Tests.Metrics;

/// <summary>One sample of the Prometheus text format: <c>name{label="value",...} number</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Parses the Prometheus text exposition format (comments skipped, label values unescaped).</summary>
public sealed class PrometheusText
{
    private readonly List<PrometheusSample> _samples;

    private PrometheusText(List<PrometheusSample> samples)
    {
        _samples = samples;
    }

    public IReadOnlyList<PrometheusSample> Samples => _samples;

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            string name;
            string rest;
            if (brace >= 0 && brace < space)
            {
                name = line[..brace];
                var end = ParseLabels(line, brace + 1, labels);
                rest = line[(end + 1)..].Trim();
            }
            else
            {
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            var value = rest.Split(' ')[0];
            samples.Add(new PrometheusSample(name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }

        return new PrometheusText(samples);
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 when none.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Matching(name, labels).Sum(s => s.Value);

    public IEnumerable<PrometheusSample> Matching(string name, params (string Name, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <returns>The index of the closing brace.</returns>
    private static int ParseLabels(string line, int start, Dictionary<string, string> labels)
    {
        var i = start;
        while (line[i] != '}')
        {
            var equals = line.IndexOf('=', i);
            var key = line[i..equals].Trim().TrimStart(',').Trim();
            i = equals + 2; // past ="
            var value = new StringBuilder();
            while (line[i] != '"')
            {
                if (line[i] == '\\')
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }

                i++;
            }

            labels[key] = value.ToString();
            i++;
            if (line[i] == ',')
            {
                i++;
            }
        }

        return i;
    }
}
