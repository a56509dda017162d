using System.Text.RegularExpressions;
using Ferry.Inference.Models;

namespace Ferry.Tracking.Registry;

/// <summary>
/// What the registry accepts as names. Model names follow the model repository's rule (one path segment, no
/// <c>..</c>), so a registered model can always be laid out as a folder.
/// </summary>
public static partial class RegistryNames
{
    public const int MaxTagKeyLength = 250;
    public const int MaxTagValueLength = 5000;

    public static void CheckModel(string name)
    {
        if (!ModelRepository.IsValidName(name) || name.Contains("..", StringComparison.Ordinal))
        {
            throw FerryException.Invalid(
                $"'{name}' is not a valid model name: use 1-200 letters, digits, '_', '-' and '.', not starting with '.' and without '..'");
        }
    }

    /// <summary>Alias names are identifiers; <c>latest</c> and <c>v1</c>, <c>v2</c>... are refused as MLflow does, since they read as versions.</summary>
    public static void CheckAlias(string alias)
    {
        if (!AliasPattern().IsMatch(alias) || alias.Equals("latest", StringComparison.OrdinalIgnoreCase) || VersionLike().IsMatch(alias))
        {
            throw FerryException.Invalid(
                $"'{alias}' is not a valid alias: use up to 100 letters, digits, '_' and '-', starting with a letter; 'latest' and 'v<number>' are reserved");
        }
    }

    public static void CheckTag(string key, string? value)
    {
        if (key.Length is 0 or > MaxTagKeyLength || key.Any(char.IsControl))
        {
            throw FerryException.Invalid($"tag key '{key}' must be 1-{MaxTagKeyLength} characters without control characters");
        }

        if (value is { Length: > MaxTagValueLength })
        {
            throw FerryException.Invalid($"the value of tag '{key}' is longer than {MaxTagValueLength} characters");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_\\-]{0,99}$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^[vV][0-9]+$")]
    private static partial Regex VersionLike();
}
