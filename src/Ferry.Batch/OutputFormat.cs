namespace Ferry.Batch;

public enum OutputFormat
{
    Parquet,
    Csv,
    Jsonl,
}
