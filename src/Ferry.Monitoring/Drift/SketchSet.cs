using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Drift;

/// <summary>
/// Current sketches of every reference feature the log has, over one window. Sets of adjacent windows merge into
/// the set of their union, so replicas or per-window sets can be combined by adding counts.
/// </summary>
public sealed class SketchSet
{
    private readonly Dictionary<string, FeatureSketch> _sketches = new(StringComparer.Ordinal);

    public SketchSet(ReferenceProfile reference)
    {
        foreach (var (name, profile) in reference.Features)
        {
            _sketches[name] = profile.NewSketch();
        }
    }

    public IReadOnlyDictionary<string, FeatureSketch> Sketches => _sketches;

    /// <summary>Features the log actually holds (a reference column the model does not take is not compared).</summary>
    public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

    public long Rows { get; private set; }

    /// <summary>Adds the chunk's rows inside [fromMs, toMs); one pass per column, no per-row allocation.</summary>
    public void Add(LogChunk chunk, long fromMs, long toMs)
    {
        foreach (var (name, sketch) in _sketches)
        {
            if (!chunk.Columns.TryGetValue(LogColumns.InputPrefix + name, out var column))
            {
                continue;
            }

            Seen.Add(name);
            var times = chunk.TimestampsMs;
            switch (sketch, column)
            {
                case (NumericSketch n, double[] values):
                    for (var i = 0; i < values.Length; i++)
                    {
                        if (times[i] >= fromMs && times[i] < toMs)
                        {
                            n.Add(values[i]);
                        }
                    }

                    break;
                case (CategoricalSketch c, _):
                    for (var i = 0; i < column.Length; i++)
                    {
                        if (times[i] >= fromMs && times[i] < toMs)
                        {
                            c.Add(ReferenceProfileBuilder.CategoryOf(column.GetValue(i)));
                        }
                    }

                    break;
            }
        }

        for (var i = 0; i < chunk.RowCount; i++)
        {
            Rows += chunk.TimestampsMs[i] >= fromMs && chunk.TimestampsMs[i] < toMs ? 1 : 0;
        }
    }

    public void Merge(SketchSet other)
    {
        foreach (var (name, sketch) in other._sketches)
        {
            _sketches[name].Merge(sketch);
        }

        Seen.UnionWith(other.Seen);
        Rows += other.Rows;
    }
}
