namespace Ferry.Storage.Blobs;

/// <summary>Digests as the stores spell them: 64 lower-case hex digits of SHA-256.</summary>
public static class BlobDigest
{
    public static bool IsValid(string digest) => digest.Length == 64 && digest.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Refuses anything else, which also keeps a digest from ever naming a path outside the store.</summary>
    public static string Check(string digest) =>
        IsValid(digest) ? digest : throw FerryException.Invalid($"'{digest}' is not a SHA-256 digest (64 lower-case hex digits)");

    public static string Format(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);
}
