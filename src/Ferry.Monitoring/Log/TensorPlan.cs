namespace Ferry.Monitoring.Log;

/// <summary>Where one tensor's values go in a layout: its first column and how many (its elements per row).</summary>
public sealed record TensorPlan(bool IsOutput, int Tensor, int First, int Width, bool IsText, bool ShapeOnly)
{
    /// <summary>A layout's columns grouped by tensor; a tensor's columns are adjacent, in element order.</summary>
    public static TensorPlan[] Of(SegmentLayout layout)
    {
        var plans = new List<TensorPlan>();
        for (var c = 0; c < layout.Columns.Count;)
        {
            var first = layout.Columns[c];
            var width = 1;
            while (c + width < layout.Columns.Count && layout.Columns[c + width].IsOutput == first.IsOutput && layout.Columns[c + width].Tensor == first.Tensor)
            {
                width++;
            }

            plans.Add(new TensorPlan(first.IsOutput, first.Tensor, c, width, first.IsText, first.ShapeOnly));
            c += width;
        }

        return plans.ToArray();
    }
}
