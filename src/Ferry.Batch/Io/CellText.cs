using System.Globalization;
using System.Text.Json;

namespace Ferry.Batch.Io;

/// <summary>Text of one cell for CSV, and its JSON form for JSONL; invariant culture, shortest round-trip numbers.</summary>
public static class CellText
{
    /// <summary>The cell as text; null for a null value.</summary>
    public static string? Text(ChunkColumn column, int row)
    {
        var value = column.Values.GetValue(row);
        if (value is null)
        {
            return null;
        }

        if (column.Kind == ColumnKind.Json)
        {
            var raw = (string)value;
            return raw == "null" ? null : raw[0] == '"' ? JsonSerializer.Deserialize<string>(raw) : raw;
        }

        return value switch
        {
            string s => s,
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    /// <summary>Writes the cell as a JSON value; NaN and infinities, which JSON lacks, become null.</summary>
    public static void WriteJson(Utf8JsonWriter writer, ChunkColumn column, int row)
    {
        var value = column.Values.GetValue(row);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string raw when column.Kind == ColumnKind.Json:
                writer.WriteRawValue(raw, skipInputValidation: true);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float or double:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case DateTime t:
                writer.WriteStringValue(t);
                break;
            case IFormattable f:
                writer.WriteRawValue(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
