using System.Globalization;

namespace Ferry.Tracking.Datasets;

/// <summary>
/// Collects one column's values across files and chunks, then types and profiles it. A column is numeric when every
/// present value parses as a number. Numbers are kept (8 bytes a row) so quantiles are exact; categories stop
/// growing past <see cref="MaxDistinct"/> so an id-like column cannot exhaust memory.
/// </summary>
internal sealed class ColumnAccumulator(string name)
{
    public const int MaxDistinct = 100_000;
    public const int TopCategories = 10;
    public const int HistogramBins = 10;

    private static readonly double[] QuantilePoints = [0.05, 0.25, 0.5, 0.75, 0.95];

    private readonly List<double> _numbers = [];
    private readonly Dictionary<string, long> _categories = new(StringComparer.Ordinal);
    private long _missing;
    private long _nonNumeric;

    public string Name => name;

    public void AddMissing() => _missing++;

    public void AddNumber(double value, string? text)
    {
        if (double.IsNaN(value))
        {
            _missing++;
            return;
        }

        _numbers.Add(value);
        AddCategory(text ?? value.ToString("R", CultureInfo.InvariantCulture));
    }

    public void AddText(string value)
    {
        _nonNumeric++;
        AddCategory(value);
    }

    public ColumnProfile Build()
    {
        var present = _numbers.Count + _nonNumeric;
        if (_nonNumeric == 0 && _numbers.Count > 0)
        {
            return Numeric();
        }

        return new ColumnProfile
        {
            Name = name, Type = "string", Count = present, Missing = _missing, Distinct = _categories.Count,
            Top = _categories.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(TopCategories)
                .Select(c => new CategoryCount(c.Key, c.Value)).ToArray(),
        };
    }

    private void AddCategory(string value)
    {
        if (_categories.TryGetValue(value, out var count))
        {
            _categories[value] = count + 1;
        }
        else if (_categories.Count < MaxDistinct)
        {
            _categories[value] = 1;
        }
    }

    private ColumnProfile Numeric()
    {
        _numbers.Sort();
        var n = _numbers.Count;
        double sum = 0;
        foreach (var x in _numbers)
        {
            sum += x;
        }

        var mean = sum / n;
        double squares = 0;
        foreach (var x in _numbers)
        {
            squares += (x - mean) * (x - mean);
        }

        var quantiles = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in QuantilePoints)
        {
            quantiles[p.ToString(CultureInfo.InvariantCulture)] = Quantile(p);
        }

        return new ColumnProfile
        {
            Name = name, Type = "double", Count = n, Missing = _missing, Min = _numbers[0], Max = _numbers[^1], Mean = mean,
            Std = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0, Quantiles = quantiles, Histogram = BuildHistogram(),
        };
    }

    private double Quantile(double p)
    {
        var h = (_numbers.Count - 1) * p;
        var low = (int)Math.Floor(h);
        var high = Math.Min(low + 1, _numbers.Count - 1);
        return _numbers[low] + ((h - low) * (_numbers[high] - _numbers[low]));
    }

    private Histogram BuildHistogram()
    {
        var min = _numbers[0];
        var max = _numbers[^1];
        var width = (max - min) / HistogramBins;
        var edges = new double[HistogramBins + 1];
        for (var i = 0; i <= HistogramBins; i++)
        {
            edges[i] = i == HistogramBins ? max : min + (i * width);
        }

        var counts = new long[HistogramBins];
        foreach (var x in _numbers)
        {
            var bin = width == 0 ? 0 : Math.Min((int)((x - min) / width), HistogramBins - 1);
            counts[bin]++;
        }

        return new Histogram(edges, counts);
    }
}
