namespace Ferry.Monitoring.Performance;

/// <summary>Least-squares slope of a metric over the windows that have it; a change under 1% of its mean per window is "stable".</summary>
public static class Trends
{
    public static PerformanceTrend? Of(IReadOnlyList<PerformanceWindow> windows, string metric, bool higherIsBetter)
    {
        var points = windows.Select((w, i) => (X: (double)i, Y: w.Metrics.TryGetValue(metric, out var v) ? v : double.NaN)).Where(p => !double.IsNaN(p.Y)).ToArray();
        if (points.Length < 2)
        {
            return null;
        }

        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        var slope = sxx == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
        var tolerance = Math.Max(Math.Abs(my) * 0.01, 1e-12);
        var direction = Math.Abs(slope) < tolerance ? "stable" : (slope > 0) == higherIsBetter ? "improving" : "degrading";
        return new PerformanceTrend(metric, slope, direction);
    }
}
