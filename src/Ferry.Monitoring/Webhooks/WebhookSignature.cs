using System.Security.Cryptography;
using System.Text;

namespace Ferry.Monitoring.Webhooks;

/// <summary>
/// The <c>X-Ferry-Signature</c> header: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the raw body under the
/// endpoint's shared secret (the scheme GitHub's webhooks use). Receivers recompute it and compare in fixed time.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Ferry-Signature";
    public const string EventHeader = "X-Ferry-Event";
    public const string DeliveryHeader = "X-Ferry-Delivery";
    public const string Prefix = "sha256=";

    public static string Compute(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Whether <paramref name="header"/> is the body's signature under <paramref name="secret"/>, compared in fixed time.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, body));
        var given = Encoding.ASCII.GetBytes(header);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
