namespace Ferry.Batch;

/// <summary>A row the model cannot take, located by file, 1-based data row and column.</summary>
public sealed class BadRowException : Exception
{
    public BadRowException(string file, long row, string column, string reason)
        : base($"{file}: row {row}, column '{column}': {reason}")
    {
        File = file;
        Row = row;
        Column = column;
        Reason = reason;
    }

    public string File { get; }

    /// <summary>1-based index of the data row in its file (the CSV header is not counted).</summary>
    public long Row { get; }

    public string Column { get; }

    public string Reason { get; }
}
