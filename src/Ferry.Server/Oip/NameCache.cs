using System.Text.Json;

namespace Ferry.Server.Oip;

/// <summary>
/// The strings of tensor and model names, which recur request after request: a name read before comes from
/// here instead of being decoded and allocated again. A fixed table of recent names, an entry replaced when another
/// name hashes to its slot, so names nobody repeats (hostile or not) cannot grow it.
/// </summary>
internal static class NameCache
{
    private const int Slots = 512;
    private const int MaxBytes = 64;

    private static readonly Entry?[] Table = new Entry?[Slots];
    private static readonly string?[] Texts = new string?[Slots];

    /// <summary><paramref name="chars"/> as a string, shared with earlier calls for the same characters (a model name in a path).</summary>
    public static string Get(ReadOnlySpan<char> chars)
    {
        if (chars.Length > MaxBytes)
        {
            return chars.ToString();
        }

        var slot = string.GetHashCode(chars) & (Slots - 1);
        if (Volatile.Read(ref Texts[slot]) is { } text && chars.SequenceEqual(text))
        {
            return text;
        }

        text = chars.ToString();
        Volatile.Write(ref Texts[slot], text);
        return text;
    }

    /// <summary>The string token at <paramref name="reader"/>, shared with earlier reads of the same bytes.</summary>
    /// <exception cref="InvalidOperationException">The bytes are not valid UTF-8 (as <see cref="Utf8JsonReader.GetString"/>).</exception>
    public static string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxBytes)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        var slot = hash.ToHashCode() & (Slots - 1);
        if (Volatile.Read(ref Table[slot]) is { } entry && bytes.SequenceEqual(entry.Utf8))
        {
            return entry.Text;
        }

        // Decoded (and so validated) once; the entry's bytes are those of a string that decoded.
        var text = reader.GetString()!;
        Volatile.Write(ref Table[slot], new Entry(bytes.ToArray(), text));
        return text;
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
