using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Ferry.Storage.Sql.Tracking;

/// <summary>
/// Offset paging for tracking searches. Their sort keys are arbitrary (any metric, param or attribute), so a
/// keyset token would have to carry a typed value per key; an offset is good enough for result sets of a few
/// thousand runs. Opaque to clients (base64url).
/// </summary>
internal static class OffsetToken
{
    private const string Prefix = "offset:";

    public static long Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the same answer as a token that decodes to nonsense.
        }

        throw FerryException.Invalid("Invalid page token: not one this server gave");
    }

    /// <summary>Cuts the extra row read past the page off, and makes the token for the next page if there was one.</summary>
    public static Page<T> Page<T>(List<T> rows, int pageSize, long offset)
    {
        if (rows.Count <= pageSize)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        var next = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + (offset + pageSize).ToString(CultureInfo.InvariantCulture)));
        return new Page<T>(rows, next);
    }
}
