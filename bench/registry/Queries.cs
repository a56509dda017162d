using System.Globalization;
using Ferry.Storage;

namespace Ferry.Bench.Registry;

/// <summary>
/// The list and search calls measured. Each entry prepares one call from a seeded random source (untimed: deep
/// pages need a page token, fetched from the store itself) and returns the call to time.
/// </summary>
internal static class Queries
{
    public const int PageSize = 100;

    public delegate Task<Func<CancellationToken, Task<int>>> Prepare(IMetadataStore store, Random random, CancellationToken cancellationToken);

    public static IReadOnlyList<(string Name, Prepare Prepare)> All(int models) =>
    [
        Plain("list models (first page)", (s, _, ct) => Count(s.SearchModelsAsync(new ModelQuery { PageSize = PageSize }, ct))),
        ("list models (deep page)", async (s, r, ct) =>
        {
            var token = (await s.SearchModelsAsync(new ModelQuery { PageSize = r.Next(1, models - PageSize) }, ct)).NextPageToken;
            return c => Count(s.SearchModelsAsync(new ModelQuery { PageSize = PageSize, PageToken = token }, c));
        }),
        Plain("list versions of a model", (s, r, ct) =>
            Count(s.SearchVersionsAsync(new VersionQuery { ModelName = Filler.ModelName(r.Next(models)), PageSize = PageSize }, ct))),
        ("list all versions (deep page)", async (s, r, ct) =>
        {
            var token = (await s.SearchVersionsAsync(new VersionQuery { ModelName = Filler.ModelName(r.Next(models)), PageSize = 1 }, ct)).NextPageToken;
            return c => Count(s.SearchVersionsAsync(new VersionQuery { PageSize = PageSize, PageToken = token }, c));
        }),
        Plain("search models by tag", (s, r, ct) =>
            Count(s.SearchModelsAsync(new ModelQuery { Tag = new TagFilter("team", "team-" + Digit(r)), PageSize = PageSize }, ct))),
        Plain("search models by name prefix", (s, r, ct) =>
            Count(s.SearchModelsAsync(new ModelQuery { NamePrefix = "model-0" + Digit(r), PageSize = PageSize }, ct))),
        Plain("search versions by common tag", (s, r, ct) =>
            Count(s.SearchVersionsAsync(new VersionQuery { Tag = new TagFilter("stage", Filler.Stages[r.Next(Filler.Stages.Length)]), PageSize = PageSize }, ct))),
        Plain("search versions by rare tag (1%)", (s, _, ct) =>
            Count(s.SearchVersionsAsync(new VersionQuery { Tag = new TagFilter("audited", "yes"), PageSize = PageSize }, ct))),
        Plain("search versions by alias", (s, _, ct) =>
            Count(s.SearchVersionsAsync(new VersionQuery { Alias = "champion", PageSize = PageSize }, ct))),
        Plain("search versions: model + tag", (s, r, ct) =>
            Count(s.SearchVersionsAsync(new VersionQuery { ModelName = Filler.ModelName(r.Next(models)), Tag = new TagFilter("stage", "prod"), PageSize = PageSize }, ct))),
        Plain("get version by alias", async (s, r, ct) =>
            await s.GetVersionByAliasAsync(Filler.ModelName(r.Next(models)), "champion", ct) is null ? 0 : 1),
    ];

    private static (string, Prepare) Plain(string name, Func<IMetadataStore, Random, CancellationToken, Task<int>> call) =>
        (name, (s, r, _) =>
        {
            // Draw the random parameters now, so that the timed call does only the store's work.
            var seed = r.Next();
            return Task.FromResult<Func<CancellationToken, Task<int>>>(c => call(s, new Random(seed), c));
        });

    private static async Task<int> Count<T>(Task<Page<T>> page) => (await page).Items.Count;

    private static string Digit(Random random) => random.Next(10).ToString(CultureInfo.InvariantCulture);
}
