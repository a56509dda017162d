using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Ferry.Storage.Sql;

/// <summary>
/// Keyset paging: the token is the sort key of the last item shown, so a page costs the same however deep it
/// is and rows inserted meanwhile neither repeat nor vanish. Opaque to clients (base64url).
/// </summary>
internal static class PageToken
{
    public static string Encode(string name, long version) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(name + "\n" + version.ToString(CultureInfo.InvariantCulture)));

    public static (string Name, long Version) Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var split = text.LastIndexOf('\n');
            if (split >= 0 && long.TryParse(text.AsSpan(split + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
            {
                return (text[..split], version);
            }
        }
        catch (FormatException)
        {
            // Falls through to the same answer as a token that decodes to nonsense.
        }

        throw FerryException.Invalid("the page token is not one this server gave");
    }

    public static int CheckPageSize(int pageSize) => pageSize is >= 1 and <= ModelQuery.MaxPageSize
        ? pageSize
        : throw FerryException.Invalid($"page size must be between 1 and {ModelQuery.MaxPageSize}, not {pageSize}");
}
