namespace Ferry.Batch;

/// <summary>Maps file extensions to formats; the same three formats are read and written.</summary>
public static class FileFormats
{
    public static OutputFormat? FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" => OutputFormat.Parquet,
        ".csv" => OutputFormat.Csv,
        ".jsonl" or ".ndjson" => OutputFormat.Jsonl,
        _ => null,
    };

    public static OutputFormat? FromName(string? name) => name?.ToLowerInvariant() switch
    {
        "parquet" => OutputFormat.Parquet,
        "csv" => OutputFormat.Csv,
        "jsonl" or "ndjson" => OutputFormat.Jsonl,
        _ => null,
    };

    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.Parquet => ".parquet",
        OutputFormat.Csv => ".csv",
        _ => ".jsonl",
    };
}
