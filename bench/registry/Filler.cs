using System.Globalization;
using Ferry.Storage;

namespace Ferry.Bench.Registry;

/// <summary>
/// Fills a store with models of many versions through the store's own transactions (one per model), shaped like a
/// busy registry: team and tier tags on models, a stage tag on every version, a rare tag on one version in a
/// hundred, and a champion and a challenger alias per model.
/// </summary>
internal static class Filler
{
    public static readonly string[] Stages = ["dev", "staging", "prod", "archived"];

    private static readonly ModelSignature Signature = new()
    {
        Inputs = [new TensorSpec { Name = "features", DataType = DataType.Fp32, Shape = [-1, 12] }],
        Outputs = [new TensorSpec { Name = "label", DataType = DataType.Int64, Shape = [-1] }, new TensorSpec { Name = "probability", DataType = DataType.Fp32, Shape = [-1, 2] }],
    };

    public static string ModelName(int i) => "model-" + i.ToString("D4", CultureInfo.InvariantCulture);

    /// <param name="workers">Models filled at once: PostgreSQL takes them in parallel, SQLite queues the writers.</param>
    public static Task FillAsync(IMetadataStore store, int models, int versions, int workers, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var m = w; m < models; m += workers)
            {
                await FillModelAsync(store, m, versions, cancellationToken);
            }
        }, cancellationToken)));

    private static async Task FillModelAsync(IMetadataStore store, int m, int versions, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var name = ModelName(m);
        await using var tx = await store.BeginAsync(cancellationToken);
        await tx.CreateModelAsync(name, $"benchmark model {m}", now, cancellationToken);
        await tx.SetTagAsync(name, null, "team", "team-" + (m % 10).ToString(CultureInfo.InvariantCulture), cancellationToken);
        await tx.SetTagAsync(name, null, "tier", m % 3 == 0 ? "critical" : "standard", cancellationToken);
        for (var v = 1; v <= versions; v++)
        {
            var tags = new Dictionary<string, string> { ["stage"] = Stages[v % Stages.Length] };
            if ((m * versions + v) % 100 == 0)
            {
                tags["audited"] = "yes";
            }

            await tx.AddVersionAsync(new NewModelVersion
            {
                ModelName = name,
                BlobDigest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(m * 1_000_000L + v))),
                SizeBytes = 100_000 + v,
                Signature = Signature,
                SourceRunId = $"run-{m}-{v}",
                DatasetVersionIds = [$"ds-{m}"],
                Tags = tags,
                CreatedAt = now,
                CreatedBy = "bench",
            }, cancellationToken);
        }

        await tx.SetAliasAsync(name, "champion", versions / 2, now, cancellationToken);
        await tx.SetAliasAsync(name, "challenger", versions, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }
}
