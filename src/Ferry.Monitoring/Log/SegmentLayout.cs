namespace Ferry.Monitoring.Log;

/// <summary>
/// How one request's tensors become rows and columns. A model with a batch dimension (max_batch_size &gt; 0, or every
/// input's first dimension dynamic) gives one row per batch row, so a row is one prediction and joins one label; otherwise the whole request is one row. Each
/// tensor gives one column per element of a row, up to a limit; larger tensors (images) keep only their shape,
/// since a drift sketch per pixel would say nothing and the log would grow as the payloads do.
/// </summary>
public sealed record SegmentLayout(string Key, int Rows, IReadOnlyList<LogColumn> Columns)
{
    public static SegmentLayout Of(CapturedPrediction prediction, int maxElementsPerRow)
    {
        var rows = RowsOf(prediction);
        var columns = new List<LogColumn>();
        Add(columns, prediction.Inputs, false, rows, maxElementsPerRow);
        Add(columns, prediction.Outputs, true, rows, maxElementsPerRow);
        var key = string.Join('|', columns.Select(c => c.IsText ? c.Name + ":t" : c.Name));
        return new SegmentLayout(key, rows, columns);
    }

    /// <summary>Rows of a request: the batch dimension of its first input when the model batches, else 1.</summary>
    public static int RowsOf(CapturedPrediction prediction) =>
        prediction.Batched && prediction.Inputs.Length > 0 && prediction.Inputs[0].Shape.Length > 0
            ? (int)Math.Max(prediction.Inputs[0].Shape[0], 0)
            : 1;

    /// <summary>Elements of one row of <paramref name="tensor"/>, or -1 when the tensor does not split into the rows.</summary>
    public static int PerRow(CapturedTensor tensor, int rows)
    {
        long count = 1;
        foreach (var d in tensor.Shape)
        {
            count *= d;
        }

        return rows > 0 && count % rows == 0 ? (int)(count / rows) : -1;
    }

    private static void Add(List<LogColumn> columns, CapturedTensor[] tensors, bool output, int rows, int max)
    {
        var prefix = output ? LogColumns.OutputPrefix : LogColumns.InputPrefix;
        for (var t = 0; t < tensors.Length; t++)
        {
            var tensor = tensors[t];
            var perRow = PerRow(tensor, rows);
            var text = tensor.DataType == DataType.Bytes;
            if (perRow < 0 || perRow > max)
            {
                columns.Add(new LogColumn(prefix + tensor.Name + ".shape", true, t, output, 0, true));
            }
            else if (perRow == 1)
            {
                columns.Add(new LogColumn(prefix + tensor.Name, text, t, output, 0, false));
            }
            else
            {
                for (var j = 0; j < perRow; j++)
                {
                    columns.Add(new LogColumn($"{prefix}{tensor.Name}[{j}]", text, t, output, j, false));
                }
            }
        }
    }
}
