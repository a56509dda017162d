using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Ferry.Storage;

namespace Ferry.Tracking.Auth;

/// <summary>
/// API tokens: a random secret shown once at creation, stored only as its SHA-256. A plain hash (not a slow
/// password hash) is enough because the secret has 256 random bits: there is nothing to guess from a dictionary.
/// </summary>
public sealed class TokenService(IMetadataStore store, TimeProvider time)
{
    /// <summary>Marks Ferry's secrets so that secret scanners and people can tell them apart.</summary>
    public const string Prefix = "ferry_";

    /// <summary>Creates a token and returns its secret, which is not stored and cannot be shown again.</summary>
    public async Task<string> CreateAsync(string name, TokenRole role, CancellationToken cancellationToken)
    {
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            throw FerryException.Invalid("a token name must be 1-100 characters without control characters");
        }

        var secret = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        await tx.CreateTokenAsync(new ApiToken { Name = name, Role = role, Hash = Hash(secret), CreatedAt = time.GetUtcNow() }, cancellationToken)
            .ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return secret;
    }

    /// <summary>The live token the secret belongs to, or null when it is unknown or revoked.</summary>
    public async Task<ApiToken?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var token = await store.FindTokenAsync(Hash(secret), cancellationToken).ConfigureAwait(false);
        return token is { RevokedAt: null } ? token : null;
    }

    /// <summary>True when a live token of that name was revoked.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await using var tx = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        var revoked = await tx.RevokeTokenAsync(name, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>True when a token of <paramref name="role"/> may act as <paramref name="required"/> (admin &gt; writer &gt; reader).</summary>
    public static bool Allows(TokenRole role, TokenRole required) => role >= required;

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
