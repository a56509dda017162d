using System.Text.Json.Serialization;

namespace Ferry.Inference.Models;

/// <summary>Which versions of a model to serve, as Triton's <c>version_policy</c>: latest N, all, or specific ones.</summary>
public sealed record VersionPolicy
{
    [JsonPropertyName("latest")]
    public LatestPolicy? Latest { get; init; }

    [JsonPropertyName("all")]
    public AllPolicy? All { get; init; }

    [JsonPropertyName("specific")]
    public SpecificPolicy? Specific { get; init; }

    /// <summary>The default: the newest version only.</summary>
    public static VersionPolicy LatestOne { get; } = new() { Latest = new LatestPolicy { NumVersions = 1 } };

    public IEnumerable<string> Validate()
    {
        var kinds = (Latest is null ? 0 : 1) + (All is null ? 0 : 1) + (Specific is null ? 0 : 1);
        if (kinds != 1)
        {
            yield return "version_policy must name exactly one of latest, all, specific";
        }

        if (Latest is { NumVersions: < 1 })
        {
            yield return "version_policy.latest.num_versions must be 1 or more";
        }

        if (Specific is { } specific && (specific.Versions.Count == 0 || specific.Versions.Any(v => v < 1)))
        {
            yield return "version_policy.specific.versions must list versions of 1 or more";
        }
    }

    /// <summary>Picks the versions to serve from those present on disk.</summary>
    public IReadOnlyList<long> Select(IReadOnlyCollection<long> available)
    {
        if (All is not null)
        {
            return available.Order().ToArray();
        }

        if (Specific is { } specific)
        {
            return specific.Versions.Where(available.Contains).Distinct().Order().ToArray();
        }

        var n = Latest?.NumVersions ?? 1;
        return available.OrderDescending().Take(n).Order().ToArray();
    }

    public sealed record LatestPolicy
    {
        [JsonPropertyName("num_versions")]
        public int NumVersions { get; init; } = 1;
    }

    public sealed record AllPolicy;

    public sealed record SpecificPolicy
    {
        [JsonPropertyName("versions")]
        public IReadOnlyList<long> Versions { get; init; } = [];
    }
}
