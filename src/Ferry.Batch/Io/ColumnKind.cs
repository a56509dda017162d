namespace Ferry.Batch.Io;

/// <summary>How a chunk column holds its values; decides how it is converted and written.</summary>
public enum ColumnKind
{
    /// <summary>Parquet values as read: a typed array (<c>float[]</c>, <c>long?[]</c>, <c>string[]</c>, ...).</summary>
    Typed,

    /// <summary>CSV fields as text (<c>string?[]</c>; null where a short record has no field).</summary>
    Text,

    /// <summary>JSONL values as raw JSON text (<c>string?[]</c>; null where the key is absent).</summary>
    Json,
}
