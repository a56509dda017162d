using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Ferry.Batch.Io;

namespace Ferry.Batch.Scoring;

/// <summary>
/// Reads a chunk column as numbers (null where the row has no value) or as strings, whatever its kind. The
/// element type is switched on once per column; the loops are generic.
/// </summary>
public static class CellReader
{
    /// <summary>Fills <paramref name="values"/> and <paramref name="missing"/>; a value that is not a number is reported.</summary>
    public static void ReadNumbers(ChunkColumn column, double[] values, bool[] missing, BadRows bad)
    {
        switch (column.Values)
        {
            case float[] a: Fill(a, values); break;
            case float?[] a: Fill(a, values, missing); break;
            case double[] a: Fill(a, values); break;
            case double?[] a: Fill(a, values, missing); break;
            case int[] a: Fill(a, values); break;
            case int?[] a: Fill(a, values, missing); break;
            case long[] a: Fill(a, values); break;
            case long?[] a: Fill(a, values, missing); break;
            case short[] a: Fill(a, values); break;
            case short?[] a: Fill(a, values, missing); break;
            case byte[] a: Fill(a, values); break;
            case byte?[] a: Fill(a, values, missing); break;
            case sbyte[] a: Fill(a, values); break;
            case sbyte?[] a: Fill(a, values, missing); break;
            case bool[] a: FillBools(a, values); break;
            case bool?[] a: FillBools(a, values, missing); break;
            case string?[] a when column.Kind == ColumnKind.Json: ParseJson(column.Name, a, values, missing, bad); break;
            case string?[] a: ParseText(column.Name, a, values, missing, bad); break;
            default:
                for (var i = 0; i < values.Length; i++)
                {
                    bad.Add(i, column.Name, $"a {column.Values.GetType().GetElementType()!.Name} value where the model takes a number");
                }

                break;
        }
    }

    /// <summary>The value of a row as a string for a BYTES input; null when the row has none.</summary>
    public static string? ReadString(ChunkColumn column, int row)
    {
        var value = column.Values.GetValue(row);
        return value switch
        {
            null => null,
            string s when column.Kind == ColumnKind.Json => JsonText(s),
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    private static string? JsonText(string raw)
    {
        using var document = JsonDocument.Parse(raw);
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => document.RootElement.GetString(),
            _ => raw,
        };
    }

    private static void Fill<T>(T[] source, double[] values)
        where T : struct, INumberBase<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = double.CreateTruncating(source[i]);
        }
    }

    private static void Fill<T>(T?[] source, double[] values, bool[] missing)
        where T : struct, INumberBase<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (source[i] is { } v)
            {
                values[i] = double.CreateTruncating(v);
            }
            else
            {
                missing[i] = true;
            }
        }
    }

    private static void FillBools(bool[] source, double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = source[i] ? 1 : 0;
        }
    }

    private static void FillBools(bool?[] source, double[] values, bool[] missing)
    {
        for (var i = 0; i < values.Length; i++)
        {
            missing[i] = source[i] is null;
            values[i] = source[i] == true ? 1 : 0;
        }
    }

    private static void ParseText(string column, string?[] source, double[] values, bool[] missing, BadRows bad)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var text = source[i];
            if (string.IsNullOrEmpty(text))
            {
                missing[i] = true;
            }
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                bad.Add(i, column, $"'{Shorten(text)}' is not a number");
            }
        }
    }

    private static void ParseJson(string column, string?[] source, double[] values, bool[] missing, BadRows bad)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var raw = source[i];
            if (raw is null or "null")
            {
                missing[i] = true;
            }
            else if (raw is "true" or "false")
            {
                values[i] = raw == "true" ? 1 : 0;
            }
            else if (raw[0] == '"' || raw[0] == '{' || raw[0] == '[')
            {
                bad.Add(i, column, $"{Shorten(raw)} is not a number");
            }
            else if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                bad.Add(i, column, $"'{Shorten(raw)}' is not a number");
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
