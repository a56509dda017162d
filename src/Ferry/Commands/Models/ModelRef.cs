using System.Globalization;

namespace Ferry.Cli.Commands.Models;

/// <summary>
/// A model as the user names it: <c>name</c>, <c>models:/name/3</c> or <c>models:/name@alias</c> (MLflow's URIs).
/// </summary>
public sealed record ModelRef(string Name, long? Version, string? Alias)
{
    private const string Scheme = "models:/";

    public static ModelRef Parse(string text)
    {
        if (!text.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return new ModelRef(text, null, null);
        }

        var rest = text[Scheme.Length..];
        var at = rest.LastIndexOf('@');
        if (at > 0)
        {
            return new ModelRef(rest[..at], null, rest[(at + 1)..]);
        }

        var slash = rest.LastIndexOf('/');
        if (slash > 0 && long.TryParse(rest[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return new ModelRef(rest[..slash], version, null);
        }

        throw new CliException($"'{text}' is not a model URI: use models:/NAME/VERSION or models:/NAME@ALIAS");
    }
}
