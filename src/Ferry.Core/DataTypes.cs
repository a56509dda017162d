using System.Diagnostics.CodeAnalysis;

namespace Ferry;

/// <summary>Names and sizes of <see cref="DataType"/> as the Open Inference Protocol spells them.</summary>
public static class DataTypes
{
    private static readonly string[] Names =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"];

    private static readonly int[] Sizes = [1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 0];

    public static IReadOnlyList<string> All => Names;

    /// <summary>The protocol name, e.g. <c>FP32</c>.</summary>
    public static string ToProtocolName(this DataType type) => Names[(int)type];

    /// <summary>Bytes per element; 0 for <see cref="DataType.Bytes"/>, whose elements vary in length.</summary>
    public static int ElementSize(this DataType type) => Sizes[(int)type];

    public static bool TryParse(string? name, out DataType type)
    {
        type = default;
        if (name is null)
        {
            return false;
        }

        // Triton's model configuration spells types as TYPE_FP32 and TYPE_STRING; accept both forms.
        var bare = name.StartsWith("TYPE_", StringComparison.OrdinalIgnoreCase) ? name[5..] : name;
        if (bare.Equals("STRING", StringComparison.OrdinalIgnoreCase))
        {
            type = DataType.Bytes;
            return true;
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (bare.Equals(Names[i], StringComparison.OrdinalIgnoreCase))
            {
                type = (DataType)i;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="utf8"/> is exactly a protocol name (<c>FP32</c>, upper case, no <c>TYPE_</c> prefix): the
    /// spelling clients send, read without making a string.
    /// </summary>
    public static bool TryParseExact(ReadOnlySpan<byte> utf8, out DataType type)
    {
        for (var i = 0; i < Utf8Names.Length; i++)
        {
            if (utf8.SequenceEqual(Utf8Names[i]))
            {
                type = (DataType)i;
                return true;
            }
        }

        type = default;
        return false;
    }

    private static readonly byte[][] Utf8Names = Array.ConvertAll(Names, System.Text.Encoding.UTF8.GetBytes);

    public static bool TryParse(ReadOnlySpan<byte> utf8Name, [NotNullWhen(true)] out DataType? type)
    {
        Span<char> chars = stackalloc char[16];
        type = null;
        if (utf8Name.Length > chars.Length)
        {
            return false;
        }

        var n = System.Text.Encoding.UTF8.GetChars(utf8Name, chars);
        if (TryParse(new string(chars[..n]), out var parsed))
        {
            type = parsed;
            return true;
        }

        return false;
    }
}
