using System.Globalization;

namespace Ferry.Batch.Models;

/// <summary><c>NAME</c> (latest version), <c>NAME:VERSION</c> or <c>NAME@ALIAS</c>.</summary>
public sealed record ModelReference(string Name, long? Version, string? Alias)
{
    public static ModelReference Parse(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return new ModelReference(text[..at], null, text[(at + 1)..]);
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return new ModelReference(text, null, null);
        }

        if (!long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new BatchUsageException($"--model must be NAME, NAME:VERSION or NAME@ALIAS, not '{text}'");
        }

        return new ModelReference(text[..colon], version, null);
    }

    public override string ToString() => Alias is not null ? $"{Name}@{Alias}" : Version is { } v ? FormattableString.Invariant($"{Name}:{v}") : Name;
}
