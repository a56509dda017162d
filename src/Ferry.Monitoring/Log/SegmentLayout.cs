namespace Ferry.Monitoring.Log;

/// <summary>
/// How one request's tensors become rows and columns. A model with a batch dimension (max_batch_size &gt; 0, or every
/// input's first dimension dynamic) gives one row per batch row, so a row is one prediction and joins one label; otherwise the whole request is one row. Each
/// tensor gives one column per element of a row, up to a limit; larger tensors (images) keep only their shape,
/// since a drift sketch per pixel would say nothing and the log would grow as the payloads do.
/// </summary>
public sealed record SegmentLayout(string Key, int Rows, IReadOnlyList<LogColumn> Columns)
{
    /// <summary>The layout of <paramref name="prediction"/>; built once per distinct layout, so it may allocate.</summary>
    public static SegmentLayout Of(in PredictionCapture prediction, int maxElementsPerRow)
    {
        var rows = prediction.Rows;
        var columns = new List<LogColumn>();
        Add(columns, prediction, false, rows, maxElementsPerRow);
        Add(columns, prediction, true, rows, maxElementsPerRow);
        var key = string.Join('|', columns.Select(c => c.IsText ? c.Name + ":t" : c.Name));
        return new SegmentLayout(key, rows, columns);
    }

    private static void Add(List<LogColumn> columns, in PredictionCapture prediction, bool output, int rows, int max)
    {
        var prefix = output ? LogColumns.OutputPrefix : LogColumns.InputPrefix;
        var count = output ? prediction.OutputCount : prediction.InputCount;
        for (var t = 0; t < count; t++)
        {
            var tensor = prediction.Tensor(output, t);
            var name = tensor.NameText;
            var perRow = CaptureLayout.PerRow(tensor.Shape, rows);
            var text = tensor.DataType == DataType.Bytes;
            if (perRow < 0 || perRow > max)
            {
                columns.Add(new LogColumn(prefix + name + ".shape", true, t, output, 0, true));
            }
            else if (perRow == 1)
            {
                columns.Add(new LogColumn(prefix + name, text, t, output, 0, false));
            }
            else
            {
                for (var j = 0; j < perRow; j++)
                {
                    columns.Add(new LogColumn($"{prefix}{name}[{j}]", text, t, output, j, false));
                }
            }
        }
    }
}
